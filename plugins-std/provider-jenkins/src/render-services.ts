import type { HealthCheck, Service } from "@cig/proto";
import { compareStrings, isJsonMap, type Json } from "@cig/sdk";
import { block, groovyString, isGroovyIdentifier } from "./groovy-text.js";
import { providerTable } from "./provider-table.js";

// Defaults when a health check leaves them at 0: faster than Docker's own
// (30s/30s/3), because the stage waits on them (as on every other provider).
const HEALTH_DEFAULTS = { interval: 10, timeout: 5, retries: 5 };

/** The marker comment before every `sh` this provider adds itself; docs/providers/jenkins.md and the test parser rely on it. */
export const PROVIDER_STEP_MARKER = "// cig: provider step";

// Polls `docker inspect` until every service container reports healthy; a
// container without a health check counts as healthy once it runs.
const WAIT_SCRIPT = [
  "for id in $CIG_SERVICE_CONTAINERS; do",
  "  tries=0",
  "  while :; do",
  "    status=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}healthy{{end}}' \"$id\")",
  '    [ "$status" = healthy ] && break',
  "    tries=$((tries + 1))",
  '    if [ "$status" = unhealthy ] || [ "$tries" -ge 150 ]; then echo "service container $id is $status" >&2; exit 1; fi',
  "    sleep 2",
  "  done",
  "done",
].join("\n");

/**
 * A job's services around its steps, as a pod: the first service (by name)
 * owns the network namespace and publishes every service's `ports`; the
 * others and the build container (`image`, when the job has a tool image)
 * join it with `--network container:<id>`, so every service answers on
 * `localhost` exactly as on GitHub. Health checks are Docker health flags,
 * and a provider step waits until every container is healthy. Scripted
 * Docker Pipeline steps, inside a `script { }` block.
 */
export function wrapInServices(
  services: readonly Service[],
  image: string | undefined,
  inner: readonly string[],
  bind: (text: string) => string,
): string[] {
  const sorted = [...services].sort((a, b) => compareStrings(a.name, b.name));
  const vars = containerVariables(sorted.map((s) => s.name));
  const owner = vars[0] as string;
  const ports = sorted.flatMap((s) => s.ports.flatMap((p) => ["-p", bind(p)]));
  const ids = vars.map((v) => `${v}.id`).join(" + ' ' + ");
  let body: string[] = [
    ...block(`withEnv(['CIG_SERVICE_CONTAINERS=' + ${ids}])`, [
      PROVIDER_STEP_MARKER,
      `sh(label: 'Wait for healthy services', script: ${groovyString(WAIT_SCRIPT)})`,
    ]),
    ...(image ? block(`docker.image(${groovyString(image)}).inside('--network container:' + ${owner}.id)`, inner) : inner),
  ];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const s = sorted[i] as Service;
    const table = providerTable(s.passthrough, "jenkins");
    const img = typeof table.image === "string" ? table.image : bind(s.image);
    const tokens = [...(i === 0 ? ports : []), ...envTokens(s, bind), ...healthTokens(s.health), ...tableTokens(table)];
    const rest = dockerArgs(tokens) + (typeof table.args === "string" && table.args !== "" ? ` ${table.args}` : "");
    const args = i === 0 ? groovyString(rest) : `'--network container:' + ${owner}.id${rest ? ` + ${groovyString(` ${rest}`)}` : ""}`;
    // block() writes "head {"; the closure's parameter (the container) follows the brace.
    const wrapped = block(`docker.image(${groovyString(img)}).withRun(${args})`, body);
    wrapped[0] = `${wrapped[0]} ${vars[i]} ->`;
    body = wrapped;
  }
  return block("script", body);
}

// svcPostgres, svcRedis: prefixed so that no service shadows a pipeline global (`docker`, `env`, `scm`),
// camel case as Groovy style has it.
function containerVariables(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const base = `svc${name
      .split(/[^A-Za-z0-9]+/)
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join("")}`;
    let v = base;
    for (let n = 2; taken.has(v) || !isGroovyIdentifier(v); n++) v = `${base}${n}`;
    taken.add(v);
    return v;
  });
}

function envTokens(s: Service, bind: (text: string) => string): string[] {
  return Object.keys(s.env)
    .sort(compareStrings)
    .flatMap((k) => ["-e", `${k}=${bind(s.env[k] ?? "")}`]);
}

function healthTokens(health: HealthCheck | undefined): string[] {
  if (!health?.command) return [];
  return [
    "--health-cmd",
    health.command,
    "--health-interval",
    `${health.intervalSeconds || HEALTH_DEFAULTS.interval}s`,
    "--health-timeout",
    `${health.timeoutSeconds || HEALTH_DEFAULTS.timeout}s`,
    "--health-retries",
    String(health.retries || HEALTH_DEFAULTS.retries),
  ];
}

// The service's jenkins table: each key a `docker run` flag (`shm-size = "256m"` → `--shm-size 256m`);
// `image` replaces the image and `args` is appended as written.
function tableTokens(table: Readonly<Record<string, Json>>): string[] {
  const tokens: string[] = [];
  for (const [key, value] of Object.entries(table)) {
    if (key === "image" || key === "args" || value === false || value === null || isJsonMap(value)) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      tokens.push(`--${key}`);
      if (v !== true) tokens.push(String(v));
    }
  }
  return tokens;
}

/**
 * Arguments for `withRun`/`inside`, which Jenkins splits like a shell
 * (QuotedStringTokenizer): a token with anything but plain characters is
 * double-quoted, with `\` and `"` escaped.
 */
export function dockerArgs(tokens: readonly string[]): string {
  return tokens.map((t) => (/^[A-Za-z0-9_./:=,@%+-]+$/.test(t) ? t : `"${t.replace(/[\\"]/g, "\\$&")}"`)).join(" ");
}
