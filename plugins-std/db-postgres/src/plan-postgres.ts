import type { PlanRequest, PlanResponseSchema, ResourceSchema } from "@cig/proto";
import type { Reply } from "@cig/sdk";
import { hostPort, interpolateDeclared, matrixAxis, overlay, serviceResource, urlPart, waitStep } from "@cig/sdk";

/** Service names in a job's `services` that this module answers for. */
const SERVICE_NAMES = new Set(["postgres", "postgresql"]);
const MATRIX_AXES = new Set(["postgres", "postgres_version", "postgresql"]);
/** The image's major version without a matrix axis, variable or detected version. */
export const DEFAULT_POSTGRES_VERSION = "16";

/**
 * For every job whose `services` name postgres: the service (the official
 * image, a user/password/database, port 5432 on the host, a pg_isready
 * health check) with anything the user declared for it put over it,
 * DATABASE_URL in the job's env, and a "Wait for postgres" step. The version comes from a
 * `postgres` matrix axis, else `[variables] postgres_version`, else the
 * detected `postgres_version`, else 16 — the lookup order of `{{ postgres_version }}`.
 */
export function planPostgres(req: PlanRequest): Reply<typeof PlanResponseSchema> {
  const version = req.schema?.variables.postgres_version ?? req.facts.postgres_version ?? DEFAULT_POSTGRES_VERSION;
  const resources: Reply<typeof ResourceSchema>[] = [];
  for (const job of req.schema?.jobs ?? []) {
    for (const written of job.services.filter((s) => SERVICE_NAMES.has(s.name))) {
      const declared = interpolateDeclared(written, job, { variables: req.schema?.variables ?? {}, facts: req.facts });
      const axis = matrixAxis(job, MATRIX_AXES);
      const user = declared.env.POSTGRES_USER || "postgres";
      const service = overlay(
        {
          name: declared.name,
          image: `postgres:${axis ? `{{ matrix.${axis} }}` : version}`,
          env: { POSTGRES_USER: "postgres", POSTGRES_PASSWORD: "postgres", POSTGRES_DB: "test" },
          ports: ["5432:5432"],
          // -U: without it every probe logs "role root does not exist" in the server log.
          health: { command: `pg_isready -U ${user}`, intervalSeconds: 10, timeoutSeconds: 5, retries: 5 },
        },
        declared,
      );
      const { POSTGRES_PASSWORD: password = "", POSTGRES_DB: db = user } = service.env;
      const url = `postgres://${urlPart(user)}:${urlPart(password)}@localhost:${hostPort(service.ports, "5432")}/${urlPart(db)}`;
      resources.push(
        serviceResource(job.id, service, { DATABASE_URL: url }),
        waitStep(job.id, declared.name, "pg_isready", 'pg_isready -d "$DATABASE_URL"'),
      );
    }
  }
  return { resources };
}
