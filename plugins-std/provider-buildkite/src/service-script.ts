import type { HealthCheck, Service } from "@cig/proto";
import { compareStrings } from "@cig/sdk";
import { shellQuote } from "./translate-condition.js";

// Defaults when a health check leaves them at 0, the same as on GitHub:
// faster than Docker's own (30s/30s/3), because the job waits on them.
const HEALTH_DEFAULTS = { interval: 10, timeout: 5, retries: 5 };
/** How long the job waits for a service's health check to pass: 60 polls, 2 s apart. */
export const HEALTH_WAIT_POLLS = 60;

/** The first line of the job-script entry that starts the services; test/parse-buildkite.ts looks for it. */
export const SERVICES_MARKER = "# cig: start services";

/** The container name of a service: unique per Buildkite job, so parallel jobs on one host do not collide. */
function containerName(service: string): string {
  return `"cig-$BUILDKITE_JOB_ID-${service}"`;
}

/**
 * The job-script entry that runs a job's services as sidecar containers on
 * the agent host, like GitHub's service containers: `docker run --detach`
 * with the ports published on the host (so `localhost:5432` reaches them, as
 * the db modules' DATABASE_URL expects), the health check as Docker health
 * flags, then a wait until every checked service is healthy, and an EXIT
 * trap that removes them whatever happens. `extraOptions` are the service's
 * `buildkite = { options = "…" }`, appended as written.
 */
export function servicesEntry(services: readonly Service[], extraOptions: ReadonlyMap<string, string>): string {
  const sorted = [...services].sort((a, b) => compareStrings(a.name, b.name));
  const lines = [`${SERVICES_MARKER}: ${sorted.map((s) => s.name).join(", ")}`];
  lines.push(`trap 'docker rm --force ${sorted.map((s) => containerName(s.name)).join(" ")} >/dev/null 2>&1' EXIT`);
  for (const s of sorted) {
    const flags = [`--name ${containerName(s.name)}`];
    for (const p of s.ports) flags.push(`--publish ${shellQuote(p)}`);
    for (const [k, v] of Object.entries(s.env).sort(([a], [b]) => compareStrings(a, b))) flags.push(`--env ${shellQuote(`${k}=${v}`)}`);
    flags.push(...healthFlags(s.health));
    const extra = extraOptions.get(s.name);
    if (extra) flags.push(extra);
    lines.push(`docker run --detach ${flags.join(" ")} ${shellQuote(s.image)} >/dev/null || cig_failed=1`);
  }
  const checked = sorted.filter((s) => s.health?.command).map((s) => s.name);
  if (checked.length > 0) {
    lines.push(
      `for cig_service in ${checked.join(" ")}; do`,
      "  cig_tries=0",
      `  until [ "$(docker inspect --format '{{.State.Health.Status}}' "cig-$BUILDKITE_JOB_ID-$cig_service" 2>/dev/null)" = healthy ]; do`,
      "    cig_tries=$((cig_tries + 1))",
      `    if [ "$cig_tries" -ge ${HEALTH_WAIT_POLLS} ]; then echo "cig: service $cig_service is not healthy after ${HEALTH_WAIT_POLLS * 2} s" >&2; cig_failed=1; break; fi`,
      "    sleep 2",
      "  done",
      "done",
    );
  }
  return lines.join("\n");
}

/** Docker health flags; none without a health command. */
function healthFlags(health: HealthCheck | undefined): string[] {
  if (!health?.command) return [];
  return [
    `--health-cmd ${shellQuote(health.command)}`,
    `--health-interval ${health.intervalSeconds || HEALTH_DEFAULTS.interval}s`,
    `--health-timeout ${health.timeoutSeconds || HEALTH_DEFAULTS.timeout}s`,
    `--health-retries ${health.retries || HEALTH_DEFAULTS.retries}`,
  ];
}
