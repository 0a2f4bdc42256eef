import { create } from "@bufbuild/protobuf";
import {
  type Diagnostic,
  Diagnostic_Level,
  DiagnosticSchema,
  type JobResource,
  type Resource,
  type Service,
  type ServiceResource,
  type Step,
  type StepResource,
  StepResource_Placement,
} from "@cig/proto";

/** Where a step sits: a module's placement, or "user" for a cig.toml step. */
export type StepPlacement = "setup" | "main" | "teardown" | "user";

/** Who contributed each step and service of a job, for `cig explain`. */
export interface Contributions {
  /** "job:<variant>" → one entry per final step, in order; `order` is the module's order, or the step's index in cig.toml. */
  steps: Map<string, Array<{ name: string; owner: string; resourceId: string; placement: StepPlacement; order: number }>>;
  /** "job:<variant>" → one entry per final service, by name: "cig.toml", or the module whose definition it took. */
  services?: Map<string, Array<{ name: string; owner: string }>>;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Folds the step and service resources that modules proposed in plan into
 * the job variants they target: SETUP steps (by order, then owner, then id)
 * before the user's steps, MAIN steps before the user step at index `order`,
 * TEARDOWN steps after. A module's service (which already honours the keys the
 * user declared) replaces the declared entry; its job_env joins the job's env.
 */
export function attachContributions(
  jobs: Resource[],
  proposed: readonly Resource[],
): { contributions: Contributions; diagnostics: Diagnostic[] } {
  const steps = proposed.flatMap((r) => (r.spec.case === "step" ? [{ r, s: r.spec.value }] : []));
  const services = proposed.flatMap((r) => (r.spec.case === "service" ? [{ r, s: r.spec.value }] : []));
  const contributions: Contributions = { steps: new Map(), services: new Map() };
  const diagnostics: Diagnostic[] = [];
  const jobIds = new Set(jobs.flatMap((j) => (j.spec.case === "job" ? [j.spec.value.jobId] : [])));
  for (const { r, s } of [...steps, ...services]) {
    if (!jobIds.has(s.jobId)) {
      diagnostics.push(
        create(DiagnosticSchema, {
          level: Diagnostic_Level.WARNING,
          code: "CIG_PLAN_UNKNOWN_JOB",
          title: `${r.owner} proposed ${r.id} for job "${s.jobId}", which does not exist`,
          message: "The contribution was ignored.",
          fixHint: "Report this to the plugin's author.",
          plugin: r.owner,
          resourceId: r.id,
        }),
      );
    }
  }
  const order = (a: (typeof steps)[number], b: (typeof steps)[number]) =>
    a.s.order - b.s.order || cmp(a.r.owner, b.r.owner) || cmp(a.r.id, b.r.id);
  // Indexed by job once: every variant of a job reads the same lists
  // (scanning all contributions per variant grew quadratically).
  const stepsByJob = groupBy(steps, ({ s }) => s.jobId);
  const servicesByJob = groupBy(services, ({ s }) => s.jobId);
  // The variants of a job share their steps, services and env (the graph is
  // read-only): fold each job's contributions once and give every such
  // variant the same new arrays, which also lets the graph travel templated.
  const folded = new Map<string, { from: JobResource; to: Folded }>();
  for (const job of jobs) {
    if (job.spec.case !== "job") continue;
    const j: JobResource = job.spec.value;
    const hit = folded.get(j.jobId);
    const same = hit && hit.from.steps === j.steps && hit.from.services === j.services && hit.from.env === j.env;
    const to = same ? hit.to : fold(j, stepsByJob.get(j.jobId) ?? [], servicesByJob.get(j.jobId) ?? [], order);
    if (!same) folded.set(j.jobId, { from: { ...j }, to });
    j.steps = to.steps;
    j.services = to.services;
    j.env = to.env;
    contributions.steps.set(
      job.id,
      to.meta.map((f) => ({
        name: f.name,
        owner: f.owner,
        resourceId: f.resourceId ?? `${job.id}/steps[${f.order}]`,
        placement: f.placement,
        order: f.order,
      })),
    );
    contributions.services?.set(job.id, to.serviceOwners);
  }
  return { contributions, diagnostics };
}

type Contribution = { r: Resource; s: StepResource };
type ServiceContribution = { r: Resource; s: ServiceResource };

/** A job's variants after folding in contributions; `meta.resourceId` is unset for the user's own steps (named per variant). */
interface Folded {
  steps: Step[];
  services: Service[];
  env: Record<string, string>;
  meta: Array<{ name: string; owner: string; resourceId?: string; placement: StepPlacement; order: number }>;
  serviceOwners: Array<{ name: string; owner: string }>;
}

function fold(
  j: JobResource,
  contributed: readonly Contribution[],
  contributedServices: readonly ServiceContribution[],
  order: (a: Contribution, b: Contribution) => number,
): Folded {
  const mine = contributed.filter(({ s }) => s.step);
  const at = (p: StepResource_Placement) =>
    mine
      .filter(({ s }) => s.placement === p || (p === StepResource_Placement.SETUP && s.placement === StepResource_Placement.UNSPECIFIED))
      .sort(order);
  const final: Array<{ step: Step; owner: string; resourceId?: string; placement: StepPlacement; order: number }> = [];
  const push = (list: readonly Contribution[]) => {
    for (const { r, s } of list)
      if (s.step)
        final.push({ step: s.step, owner: r.owner, resourceId: r.id, placement: PLACEMENTS[s.placement] ?? "setup", order: s.order });
  };
  push(at(StepResource_Placement.SETUP));
  const main = at(StepResource_Placement.MAIN);
  j.steps.forEach((step, i) => {
    push(main.filter(({ s }) => s.order === i));
    final.push({ step, owner: "cig.toml", placement: "user", order: i });
  });
  push(main.filter(({ s }) => s.order >= j.steps.length || s.order < 0));
  push(at(StepResource_Placement.TEARDOWN));
  const mineServices = contributedServices.filter(({ s }) => s.service);
  const merged = mergeServices(
    j.services,
    mineServices.map(({ r, s }) => ({ service: s.service as Service, owner: r.owner })),
  );
  // Connection settings (DATABASE_URL, ...) reach every step; the job's own env wins.
  const serviceEnv: Record<string, string> = {};
  for (const { s } of mineServices) Object.assign(serviceEnv, s.jobEnv);
  const env = { ...serviceEnv, ...j.env };
  return {
    steps: final.map((f) => f.step),
    services: merged.map((m) => m.service),
    env: Object.fromEntries(Object.entries(env).sort(([a], [b]) => cmp(a, b))),
    meta: final.map((f) => ({
      name: f.step.name,
      owner: f.owner,
      ...(f.resourceId ? { resourceId: f.resourceId } : {}),
      placement: f.placement,
      order: f.order,
    })),
    serviceOwners: merged.map((m) => ({ name: m.service.name, owner: m.owner })),
  };
}

const PLACEMENTS: Partial<Record<StepResource_Placement, StepPlacement>> = {
  [StepResource_Placement.SETUP]: "setup",
  [StepResource_Placement.MAIN]: "main",
  [StepResource_Placement.TEARDOWN]: "teardown",
};

function mergeServices(
  declared: Service[],
  proposed: Array<{ service: Service; owner: string }>,
): Array<{ service: Service; owner: string }> {
  // A module's proposal already lays the user's declared keys over its
  // defaults (docs/modules.md), so it wins whenever there is one; declared
  // services no module knows stay as written.
  const byName = new Map<string, { service: Service; owner: string }>();
  for (const s of declared) byName.set(s.name, { service: s, owner: "cig.toml" });
  for (const p of proposed) byName.set(p.service.name, p);
  return [...byName.values()].sort((a, b) => cmp(a.service.name, b.service.name));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
