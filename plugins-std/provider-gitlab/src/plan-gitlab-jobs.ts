import { type JobResource, type Resource, Resource_Kind } from "@cig/proto";
import { type Diag, errorDiag, warningDiag } from "@cig/sdk";

/** One job of the pipeline: exactly one variant of a cig.toml job. */
export interface GitlabJob {
  /** The key in .gitlab-ci.yml: the variant id (see {@link gitlabJobName}). */
  name: string;
  /** "job:test-ruby3.2-amd64". */
  resourceId: string;
  job: JobResource;
  /** 0 for jobs without needs, else one more than the deepest job it needs. */
  level: number;
  /** GitLab names of the jobs it needs, in declaration order, deduplicated. */
  needs: string[];
}

// Top-level keywords GitLab does not accept as job names (and `default`,
// `workflow`, `spec`, which are keywords too).
const RESERVED = new Set([
  "image",
  "services",
  "stages",
  "types",
  "before_script",
  "after_script",
  "variables",
  "cache",
  "include",
  "default",
  "workflow",
  "spec",
  "true",
  "false",
  "nil",
]);

/**
 * The GitLab job name of a variant id. Variant ids (`[A-Za-z0-9._-]`, see
 * docs/job-graph.md) are valid GitLab job names as they are, except the
 * reserved top-level keywords, which get `-job` appended.
 */
export function gitlabJobName(variantId: string): string {
  return RESERVED.has(variantId) ? `${variantId}-job` : variantId;
}

/**
 * One GitLab job per JOB resource (every matrix cell its own job: see
 * docs/providers/gitlab.md#matrix), in graph order, with their `needs`
 * mapped to GitLab names and their stage level (the longest chain of needs
 * below them).
 */
export function planGitlabJobs(graph: readonly Resource[]): { jobs: GitlabJob[]; diagnostics: Diag[] } {
  const diagnostics: Diag[] = [];
  const jobs: GitlabJob[] = [];
  const byResource = new Map<string, GitlabJob>();
  const taken = new Set<string>();
  for (const r of graph) {
    if (r.kind !== Resource_Kind.JOB || r.spec.case !== "job") continue;
    const job = r.spec.value;
    const base = gitlabJobName(r.id.replace(/^job:/, ""));
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    if (name !== base) diagnostics.push(collision(base, name, r.id, job));
    taken.add(name);
    const gl: GitlabJob = { name, resourceId: r.id, job, level: 0, needs: [] };
    jobs.push(gl);
    byResource.set(r.id, gl);
  }
  // Levels in a fixed point rather than one pass: the graph is topological, but this must not depend on it.
  for (let changed = true, rounds = 0; changed && rounds <= jobs.length; rounds++) {
    changed = false;
    for (const gl of jobs) {
      const level = Math.max(0, ...gl.job.needs.map((n) => (byResource.get(n)?.level ?? -1) + 1));
      if (level !== gl.level) {
        gl.level = level;
        changed = true;
      }
    }
  }
  for (const gl of jobs) {
    const needs = new Set<string>();
    for (const need of gl.job.needs) {
      const target = byResource.get(need);
      if (target) needs.add(target.name);
      else diagnostics.push(unknownNeed(gl, need));
    }
    gl.needs = [...needs];
  }
  return { jobs, diagnostics };
}

/**
 * Stage names, one per level: the cig.toml job ids at that level, sorted and
 * joined with ", " (at most three, then "+N"), so the pipeline view's
 * columns say what runs in them. Each id sits at one level, so names are unique.
 */
export function stageNames(jobs: readonly GitlabJob[]): string[] {
  const levels: string[][] = [];
  for (const gl of jobs) {
    const ids = levels[gl.level] ?? [];
    levels[gl.level] = ids;
    const id = gl.job.jobId || gl.name;
    if (!ids.includes(id)) ids.push(id);
  }
  return [...levels].map((ids = [], i) => {
    const sorted = [...ids].sort();
    if (sorted.length === 0) return `stage-${i + 1}`;
    return sorted.length <= 3 ? sorted.join(", ") : `${sorted.slice(0, 3).join(", ")} +${sorted.length - 3}`;
  });
}

function collision(base: string, name: string, resourceId: string, job: JobResource): Diag {
  return warningDiag(
    "PROVIDER_GITLAB_JOB_NAME_COLLISION",
    `GitLab job name ${base} is taken`,
    `${resourceId} maps to the GitLab job name ${base}, which another job already has; it was renamed to ${name}.`,
    "Rename one of the jobs in cig.toml (a job named like a GitLab keyword gets -job appended).",
    { resourceId, loc: job.loc },
  );
}

function unknownNeed(gl: GitlabJob, need: string): Diag {
  return errorDiag(
    "PROVIDER_GITLAB_UNKNOWN_NEED",
    `${gl.resourceId} needs ${need}, which is not in the graph`,
    `The job ${gl.resourceId} lists ${need} in needs, but the graph handed to provider/gitlab has no such job resource; the need was left out.`,
    "This is a cig core bug when cig.toml is valid: report it with the output of `cig explain job`.",
    { resourceId: gl.resourceId, loc: gl.job.loc },
  );
}
