import type { JobResource, Service, SetupToolAction } from "@cig/proto";
import {
  compareStrings,
  type Diag,
  deepMerge,
  errorDiag,
  hostPort,
  type JsonMap,
  orderKeys,
  sortedStrings,
  sortKeysDeep,
  warningDiag,
} from "@cig/sdk";
import { CONTAINER_KEY_ORDER } from "./key-order.js";
import { primaryImage } from "./setup-tools.js";
import type { At } from "./step-diagnostics.js";

/** Runner-table keys that choose the executor themselves; with one of them, cig picks no image. */
const EXECUTOR_KEYS = ["docker", "machine", "macos", "executor"] as const;

/** Where a job runs. */
export interface Executor {
  /** Executor keys cig sets (`docker`), merged over the runner's. */
  keys: JsonMap;
  /** The runner's other keys (`resource_class`, `environment`, …): defaults under cig's. */
  runnerDefaults: JsonMap;
  /** The primary image cig picked, or undefined when the runner table chose the executor. */
  image: string | undefined;
  provides: Set<string>;
}

/**
 * The job's executor: the runner's `circleci` table when it names one
 * (docker, machine, macos or a named executor); otherwise the docker
 * executor on the cimg image for the job's setup tools (cimg/base:current
 * without any). Services are secondary containers after the primary one,
 * which needs the docker executor.
 */
export function renderExecutor(job: JobResource, bind: (t: string) => string, at: At, diagnostics: Diag[]): Executor {
  const runner = job.runner?.providers.circleci ? (sortKeysDeep(job.runner.providers.circleci) as JsonMap) : {};
  const tools = job.steps.flatMap((s): SetupToolAction[] => (s.action.case === "setupTool" ? [s.action.value] : []));
  const own = EXECUTOR_KEYS.find((k) => runner[k] !== undefined);
  const services = [...job.services].sort((a, b) => compareStrings(a.name, b.name));
  const containers = services.map((s) => serviceContainer(s, bind, at, diagnostics));
  if (own === undefined) {
    const { image, provides } = primaryImage(tools.map((t) => ({ ...t, version: bind(t.version) })));
    return { keys: { docker: [{ image }, ...containers] }, runnerDefaults: runner, image, provides };
  }
  const { docker, ...rest } = runner;
  if (containers.length > 0) {
    if (Array.isArray(docker))
      return { keys: { docker: [...docker, ...containers] }, runnerDefaults: rest, image: undefined, provides: new Set() };
    diagnostics.push(servicesNeedDocker(own, at));
  }
  return { keys: {}, runnerDefaults: runner, image: undefined, provides: new Set() };
}

// A service as a secondary container. It shares the primary container's
// network: it listens on its container port at localhost, and a host port
// mapping ("5433:5432") cannot be had.
function serviceContainer(s: Service, bind: (t: string) => string, at: At, diagnostics: Diag[]): JsonMap {
  let c: JsonMap = { image: bind(s.image) };
  const env = sortedStrings(s.env);
  if (env) c.environment = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, typeof v === "string" ? bind(v) : v]));
  for (const p of s.ports) {
    const container =
      p
        .replace(/\/(tcp|udp)$/, "")
        .split(":")
        .at(-1) ?? "";
    if (hostPort([p], container) !== container) diagnostics.push(portRemap(s.name, p, container, at));
  }
  const table = s.passthrough.circleci;
  if (table) c = deepMerge(c, sortKeysDeep(table) as JsonMap);
  return orderKeys(c, CONTAINER_KEY_ORDER);
}

/**
 * Steps that wait until each service with a health check accepts TCP
 * connections on its container port. CircleCI runs no health checks for
 * secondary containers and cannot run a command inside one, so the port is
 * the check; the graph's own "Wait for <service>" step (the db modules')
 * then runs its real readiness probe when the client tool is there.
 */
export function portWaits(services: readonly Service[]): Map<string, string[]> {
  const waits = new Map<string, string[]>();
  for (const s of [...services].sort((a, b) => compareStrings(a.name, b.name))) {
    const port = s.ports[0]
      ?.replace(/\/(tcp|udp)$/, "")
      .split(":")
      .at(-1);
    if (!s.health?.command || !port) continue;
    const tries = Math.max(1, Math.ceil(((s.health.intervalSeconds || 10) * (s.health.retries || 5) + 30) / 2));
    waits.set(s.name, [
      `for i in $(seq ${tries}); do`,
      `  if (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null; then exit 0; fi`,
      "  sleep 2",
      "done",
      `echo "${s.name} is not accepting connections on port ${port}" >&2`,
      "exit 1",
    ]);
  }
  return waits;
}

function servicesNeedDocker(key: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_CIRCLECI_SERVICES_NEED_DOCKER",
    `Services need the docker executor, but the runner sets ${key}`,
    `CircleCI starts service containers only as secondary images of the docker executor; the runner's circleci table chooses ${key}, so the job's services were left out.`,
    "Use circleci = { docker = [{ image = … }] } in the runner table, or start the services in a step (docker compose on a machine executor).",
    at,
  );
}

function portRemap(service: string, mapping: string, port: string, at: At): Diag {
  return warningDiag(
    "PROVIDER_CIRCLECI_PORT_REMAP",
    `Service ${service}: port mapping ${mapping} has no effect on CircleCI`,
    `Secondary containers share the job's network on CircleCI, so ${service} listens on localhost:${port}, not on the host port of ${mapping}; connection settings that use the host port will fail.`,
    `Publish the port unchanged ("${port}:${port}") or point the connection at port ${port}.`,
    at,
  );
}
