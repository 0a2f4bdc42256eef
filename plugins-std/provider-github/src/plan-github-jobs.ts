import { type JobResource, type Resource, Resource_Kind } from "@cig/proto";
import { canonicalJson, type Diag, deepEqual, errorDiag, warningDiag } from "@cig/sdk";
import { matrixAxesIn } from "./matrix-placeholders.js";

/** One JOB resource of the graph: a variant of a cig.toml job. */
export interface JobVariant {
  /** "job:test-ruby3.2-amd64". */
  resourceId: string;
  job: JobResource;
}

/** One job of the rendered workflow and the variants it stands for. */
export interface GithubJob {
  /** The key under `jobs:`, valid for GitHub. */
  id: string;
  /** The cig.toml job id. */
  jobId: string;
  /** True: one job with `strategy.matrix`; false: exactly one variant. */
  grouped: boolean;
  variants: JobVariant[];
  /** GitHub ids of the jobs this one needs, deduplicated, in declaration order. */
  needs: string[];
}

// GitHub caps a matrix at 256 cells; larger ones are rendered as separate jobs.
const MAX_MATRIX_CELLS = 256;
const AXIS_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Maps the graph's JOB resources (topological order) to GitHub jobs. All
 * variants of one cig.toml job become ONE job with `strategy.matrix` when
 * they differ only in their matrix values — their `needs` compared after
 * mapping to GitHub ids, so a job needing each variant of a grouped job
 * groups too — and GitHub can express it; otherwise one job per variant.
 */
export function planGithubJobs(graph: readonly Resource[]): { jobs: GithubJob[]; diagnostics: Diag[] } {
  const diagnostics: Diag[] = [];
  const byJob = new Map<string, JobVariant[]>();
  for (const r of graph) {
    if (r.kind !== Resource_Kind.JOB || r.spec.case !== "job") continue;
    const jobId = r.spec.value.jobId || r.id.replace(/^job:/, "");
    const list = byJob.get(jobId) ?? [];
    list.push({ resourceId: r.id, job: r.spec.value });
    byJob.set(jobId, list);
  }

  const githubIdOf = new Map<string, string>();
  const taken = new Set<string>();
  const claim = (wanted: string, at: JobVariant): string => {
    const base = githubJobId(wanted);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    if (id !== base) {
      diagnostics.push(
        warningDiag(
          "PROVIDER_GITHUB_JOB_ID_COLLISION",
          `GitHub job id ${base} is taken`,
          `${wanted} maps to the GitHub job id ${base}, which another job already uses; it was renamed to ${id}.`,
          "Rename one of the jobs in cig.toml so that their ids differ in more than dots or other characters GitHub does not allow.",
          { resourceId: at.resourceId, loc: at.job.loc },
        ),
      );
    }
    taken.add(id);
    return id;
  };
  const mapNeeds = (v: JobVariant) => [...new Set(v.job.needs.map((n) => githubIdOf.get(n) ?? n))];

  const jobs: GithubJob[] = [];
  for (const [jobId, variants] of byJob) {
    if (canGroup(variants, mapNeeds)) {
      const id = claim(jobId, variants[0] as JobVariant);
      for (const v of variants) githubIdOf.set(v.resourceId, id);
      jobs.push({ id, jobId, grouped: true, variants, needs: [] });
    } else {
      for (const v of variants) {
        const id = claim(v.resourceId.replace(/^job:/, ""), v);
        githubIdOf.set(v.resourceId, id);
        jobs.push({ id, jobId, grouped: false, variants: [v], needs: [] });
      }
    }
  }

  for (const gh of jobs) {
    const needs = new Set<string>();
    for (const v of gh.variants) {
      for (const need of v.job.needs) {
        const id = githubIdOf.get(need);
        if (id !== undefined) needs.add(id);
        else diagnostics.push(unknownNeed(v, need));
      }
    }
    gh.needs = [...needs];
  }
  return { jobs, diagnostics };
}

/** `raw` as a valid GitHub job id (`^[A-Za-z_][A-Za-z0-9_-]*$`): other characters become `_`. */
export function githubJobId(raw: string): string {
  const id = raw.replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z_]/.test(id) ? id : `_${id}`;
}

// What may differ between the variants of one grouped job: the matrix cell, the source location, and `needs` (compared after mapping).
const SHAPE_IGNORES = new Set(["matrix", "loc", "needs"]);

function canGroup(variants: readonly JobVariant[], mapNeeds: (v: JobVariant) => string[]): boolean {
  const first = variants[0];
  if (!first || variants.length > MAX_MATRIX_CELLS) return false;
  const axes = Object.keys(first.job.matrix).sort().join("\0");
  if (axes === "") return false;
  // Reserved matrix keys and names `matrix.<axis>` cannot address.
  if (Object.keys(first.job.matrix).some((a) => a === "include" || a === "exclude" || !AXIS_NAME.test(a))) return false;
  const cells = new Set<string>();
  const needs = mapNeeds(first);
  for (const v of variants) {
    if (Object.keys(v.job.matrix).sort().join("\0") !== axes) return false;
    cells.add(canonicalJson(v.job.matrix));
    // GitHub evaluates a job's `if` before expanding its matrix: no matrix context there.
    if (matrixAxesIn(v.job.condition).length > 0) return false;
    if (v !== first && (!deepEqual(v.job, first.job, SHAPE_IGNORES) || !deepEqual(mapNeeds(v), needs))) return false;
  }
  // `uses:` cannot contain expressions, so a step reference that varies per cell must be split.
  if (first.job.steps.some((s) => usesRefs(s).some((ref) => matrixAxesIn(ref).length > 0))) return false;
  return cells.size === variants.length;
}

function usesRefs(step: JobResource["steps"][number]): string[] {
  const refs = step.action.case === "uses" ? [step.action.value.ref] : [];
  for (const o of step.providerOverrides) if (o.step?.action.case === "uses") refs.push(o.step.action.value.ref);
  return refs;
}

function unknownNeed(v: JobVariant, need: string): Diag {
  return errorDiag(
    "PROVIDER_GITHUB_UNKNOWN_NEED",
    `${v.resourceId} needs ${need}, which is not in the graph`,
    `The job ${v.resourceId} lists ${need} in needs, but the graph handed to provider/github has no such job resource.`,
    "This is a cig core bug when cig.toml is valid: report it with the output of `cig explain job`.",
    { resourceId: v.resourceId, loc: v.job.loc },
  );
}
