import type { PlanRequest, PlanResponseSchema, ResourceSchema } from "@cig/proto";
import type { Reply } from "@cig/sdk";
import { hostPort, interpolateDeclared, matrixAxis, overlay, serviceResource, waitStep } from "@cig/sdk";

/** Service names in a job's `services` that this module answers for. */
const SERVICE_NAMES = new Set(["redis"]);
const MATRIX_AXES = new Set(["redis", "redis_version"]);
/** The image's major version without a matrix axis, variable or detected version. */
export const DEFAULT_REDIS_VERSION = "7";

/**
 * For every job whose `services` name redis: the service (the official
 * image, port 6379 on the host, a `redis-cli ping` health check) with
 * anything the user declared for it put over it, REDIS_URL in the job's env,
 * and a "Wait for redis" step. The version comes from a `redis` matrix axis, else
 * `[variables] redis_version`, else the detected `redis_version`, else 7 —
 * the lookup order of `{{ redis_version }}`.
 */
export function planRedis(req: PlanRequest): Reply<typeof PlanResponseSchema> {
  const version = req.schema?.variables.redis_version ?? req.facts.redis_version ?? DEFAULT_REDIS_VERSION;
  const resources: Reply<typeof ResourceSchema>[] = [];
  for (const job of req.schema?.jobs ?? []) {
    for (const written of job.services.filter((s) => SERVICE_NAMES.has(s.name))) {
      const declared = interpolateDeclared(written, job, { variables: req.schema?.variables ?? {}, facts: req.facts });
      const axis = matrixAxis(job, MATRIX_AXES);
      const service = overlay(
        {
          name: declared.name,
          image: `redis:${axis ? `{{ matrix.${axis} }}` : version}`,
          env: {},
          ports: ["6379:6379"],
          health: { command: "redis-cli ping", intervalSeconds: 10, timeoutSeconds: 5, retries: 5 },
        },
        declared,
      );
      const url = `redis://localhost:${hostPort(service.ports, "6379")}`;
      const check = '[ "$(redis-cli -u "$REDIS_URL" ping 2>/dev/null)" = PONG ]';
      resources.push(serviceResource(job.id, service, { REDIS_URL: url }), waitStep(job.id, declared.name, "redis-cli", check));
    }
  }
  return { resources };
}
