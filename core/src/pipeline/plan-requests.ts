import type { Job, PlanRequest } from "@cig/proto";
import type { ModuleProvides } from "./select-plugins.js";

/**
 * The Plan request of one module. A std module whose manifest says what it
 * answers for (`[provides]` packages and services, and `uses` of its name)
 * sees only the jobs that ask for it: decoding every job of a 1,000-job
 * cig.toml cost each module ~150 ms of a 5,000-variant render, for the few
 * jobs it contributes to. Others get `base` whole. Requests with the same
 * jobs are one message (`cache`), so each is encoded once.
 */
export function planRequestFor(
  base: PlanRequest,
  module: string,
  provides: ModuleProvides | undefined,
  cache: Map<string, PlanRequest>,
): PlanRequest {
  const all = base.schema?.jobs ?? [];
  if (!provides || !base.schema) return base;
  const jobs = all.filter((j) => asksFor(j, module, provides));
  if (jobs.length === all.length) return base;
  const key = jobs.map((j) => j.id).join("\0");
  let req = cache.get(key);
  if (!req) {
    req = { ...base, schema: { ...base.schema, jobs } };
    cache.set(key, req);
  }
  return req;
}

/** Whether `job` uses the module: one of its packages or services, or a step `uses = "<module>@…"`. */
function asksFor(job: Job, module: string, provides: ModuleProvides): boolean {
  return (
    job.packages.some((p) => provides.packages.includes(p)) ||
    job.services.some((s) => provides.services.includes(s.name)) ||
    job.steps.some((s) => s.action.case === "uses" && s.action.value.ref.replace(/@.*$/, "") === module)
  );
}
