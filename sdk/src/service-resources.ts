import { type HealthCheckSchema, type Job, Resource_Kind, type ResourceSchema, type Service, StepResource_Placement } from "@cig/proto";
import type { Reply } from "./define-plugin.js";

/** A service as modules propose it, with the keys they always set. */
export interface ServiceInit {
  name: string;
  image: string;
  env: Record<string, string>;
  ports: string[];
  health?: Reply<typeof HealthCheckSchema>;
  passthrough?: Service["passthrough"];
}

/** After the language modules' setup (10–30), so a slow database had the longest time to start. */
export const WAIT_ORDER = 50;

/** The axis of `job`'s matrix named in `axes`, if any: it sets the service version per variant. */
export function matrixAxis(job: Job, axes: ReadonlySet<string>): string | undefined {
  return job.matrix?.axes.find((a) => axes.has(a.name))?.name;
}

/**
 * The module's service with every key the user declared in cig.toml put over
 * it: `[jobs.x.services.postgres] env = { POSTGRES_DB = "app" }` keeps the
 * module's image, ports and health check, as docs/cig-toml.md promises.
 */
export function overlay(defaults: ServiceInit, declared: Service): ServiceInit {
  return {
    ...defaults,
    name: declared.name,
    image: declared.image || defaults.image,
    env: { ...defaults.env, ...declared.env },
    ports: declared.ports.length > 0 ? [...declared.ports] : defaults.ports,
    ...(declared.health?.command ? { health: declared.health } : {}),
    passthrough: declared.passthrough,
  };
}

/** The host port that `ports` ("5433:5432", "127.0.0.1:5433:5432", "5432") publishes `container` on. */
export function hostPort(ports: readonly string[], container: string): string {
  for (const p of ports) {
    const parts = p.replace(/\/(tcp|udp)$/, "").split(":");
    if (parts.at(-1) === container) return parts.at(-2) ?? container;
  }
  return container;
}

/** A URL user-info or path part, left alone when it holds a `{{ }}` or `${{ }}` reference the provider resolves. */
export function urlPart(value: string): string {
  return value.includes("{{") ? value : encodeURIComponent(value);
}

/** The service resource for one cig.toml job; `jobEnv` (the connection URL) reaches every step of the job. */
export function serviceResource(jobId: string, service: ServiceInit, jobEnv: Record<string, string>): Reply<typeof ResourceSchema> {
  return {
    id: `service:${jobId}/${service.name}`,
    kind: Resource_Kind.SERVICE,
    spec: { case: "service", value: { jobId, service, jobEnv } },
  };
}

/**
 * A SETUP step that waits until the service answers `check`, with the
 * connection variables in its env. GitHub starts the steps only once the
 * health check passes, so there it returns at once; CI systems without
 * service health checks need the loop. Without the client tool on the
 * machine it trusts the health check rather than failing the job. POSIX sh.
 */
export function waitStep(jobId: string, service: string, tool: string, check: string): Reply<typeof ResourceSchema> {
  const command = [
    `if ! command -v ${tool} >/dev/null 2>&1; then`,
    `  echo "${tool} not found; relying on the ${service} service's health check"`,
    "  exit 0",
    "fi",
    "tries=0",
    `until ${check}; do`,
    "  tries=$((tries + 1))",
    `  if [ "$tries" -ge 30 ]; then echo "${service} is not ready after 60 s" >&2; exit 1; fi`,
    "  sleep 2",
    "done",
    "",
  ].join("\n");
  return {
    id: `step:${jobId}/wait-for-${service}`,
    kind: Resource_Kind.STEP,
    spec: {
      case: "step",
      value: {
        jobId,
        placement: StepResource_Placement.SETUP,
        order: WAIT_ORDER,
        step: { name: `Wait for ${service}`, action: { case: "run", value: { command } } },
      },
    },
  };
}
