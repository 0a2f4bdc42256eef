import type { Service } from "@cig/proto";
import { bindMatrixValues, compareStrings, deepMerge, type JsonMap, orderKeys, setIf, sortedMap, structToJson } from "@cig/sdk";
import { bindDeep } from "./bind-deep.js";
import { SERVICE_KEY_ORDER } from "./key-order.js";

/**
 * A job's `services:` list, sorted by name: `name` is the image, `alias` the
 * cig service name (the host name the job reaches it at), `variables` its
 * env. The service's `gitlab` table is merged in last. Ports and health
 * checks have no GitLab key: services are reached on their own ports at
 * their alias, and GitLab waits for the image's exposed ports itself.
 */
export function renderServices(services: readonly Service[], matrix: Readonly<Record<string, string>>, unknown: Set<string>): JsonMap[] {
  const bind = (s: string) => bindMatrixValues(s, matrix, unknown);
  return [...services]
    .sort((a, b) => compareStrings(a.name, b.name))
    .map((s) => {
      const svc: JsonMap = { name: bind(s.image), alias: s.name };
      setIf(svc, "variables", sortedMap(Object.entries(s.env).map(([k, v]) => [k, bind(v)])));
      return orderKeys(deepMerge(svc, bindDeep(structToJson(s.passthrough.gitlab), bind) as JsonMap), SERVICE_KEY_ORDER);
    });
}

/**
 * `env` with every `localhost:<host port>` (or 127.0.0.1) that a service
 * publishes rewritten to `<alias>:<container port>`. Modules write
 * connection URLs for platforms that publish service ports on the job's
 * host (DATABASE_URL=postgres://…@localhost:5432/…); on GitLab a service is
 * a separate host named by its alias, so the URL must say so.
 */
export function pointAtServices(env: Readonly<Record<string, string>>, services: readonly Service[]): Record<string, string> {
  const routes: Array<[RegExp, string]> = [];
  for (const s of services) {
    for (const p of s.ports) {
      const parts = p.replace(/\/(tcp|udp)$/, "").split(":");
      const container = parts.at(-1) ?? "";
      const host = parts.length > 1 ? (parts.at(-2) ?? container) : container;
      if (!/^\d+$/.test(host) || !/^\d+$/.test(container)) continue;
      routes.push([new RegExp(`\\b(?:localhost|127\\.0\\.0\\.1):${host}(?!\\d)`, "g"), `${s.name}:${container}`]);
    }
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) out[k] = routes.reduce((text, [re, to]) => text.replace(re, to), v);
  return out;
}
