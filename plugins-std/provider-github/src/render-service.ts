import type { HealthCheck, Service } from "@cig/proto";
import { compareStrings, deepMerge, type JsonMap, orderKeys, setIf, sortedStrings, sortKeysDeep } from "@cig/sdk";
import { CONTAINER_KEY_ORDER } from "./key-order.js";

// Defaults when a health check leaves them at 0: faster than Docker's own
// (30s/30s/3), because GitHub holds the job until every service is healthy.
const HEALTH_DEFAULTS = { interval: 10, timeout: 5, retries: 5 };

/**
 * A job's `services:` map, services sorted by name. A health check becomes
 * Docker `options` (`--health-cmd … --health-interval 10s …`), which GitHub
 * waits on before the first step; `passthrough.github` is merged in, except
 * that its `options` are appended to the health flags instead of replacing them.
 */
export function renderServices(services: readonly Service[]): JsonMap | undefined {
  if (services.length === 0) return undefined;
  const out: JsonMap = {};
  for (const s of [...services].sort((a, b) => compareStrings(a.name, b.name))) {
    let svc: JsonMap = { image: s.image };
    setIf(svc, "env", sortedStrings(s.env));
    setIf(svc, "ports", [...s.ports]);
    const extra = s.passthrough.github ? (sortKeysDeep(s.passthrough.github) as JsonMap) : {};
    const options = [healthOptions(s.health), typeof extra.options === "string" ? extra.options : ""].filter((o) => o !== "").join(" ");
    svc = deepMerge(svc, extra);
    setIf(svc, "options", options);
    out[s.name] = orderKeys(svc, CONTAINER_KEY_ORDER);
  }
  return out;
}

/** Docker health flags for `options`; empty without a health command. */
export function healthOptions(health: HealthCheck | undefined): string {
  if (!health?.command) return "";
  return [
    `--health-cmd ${shellQuote(health.command)}`,
    `--health-interval ${health.intervalSeconds || HEALTH_DEFAULTS.interval}s`,
    `--health-timeout ${health.timeoutSeconds || HEALTH_DEFAULTS.timeout}s`,
    `--health-retries ${health.retries || HEALTH_DEFAULTS.retries}`,
  ].join(" ");
}

// The runner passes `options` to `docker create` as one argument string split
// on spaces outside double quotes (.NET rules: \" is a literal quote); Docker
// then runs the health command with /bin/sh -c in the container.
function shellQuote(command: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(command) ? command : `"${command.replace(/"/g, '\\"')}"`;
}
