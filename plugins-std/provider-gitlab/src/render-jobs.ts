import type { CigSchema, GenerateRequest } from "@cig/proto";
import type { Diag, JsonMap } from "@cig/sdk";
import type { SubjectVariables } from "./condition-rules.js";
import { withComment } from "./gitlab-yaml.js";
import { type GitlabJob, stageNames } from "./plan-gitlab-jobs.js";
import { type JobContext, renderJob } from "./render-job.js";
import { cancelsInProgress } from "./render-workflow.js";

/** One rendered job: its key in the pipeline (with the matrix comment riding on it) and its body. */
export interface RenderedJob {
  gl: GitlabJob;
  key: string;
  job: JsonMap;
}

/**
 * The planned jobs rendered in graph (topological) order, and the stage
 * names of their levels. `subjects`: the variables conditions read (GitLab's
 * own, or a child pipeline's).
 */
export function renderJobs(
  planned: readonly GitlabJob[],
  req: GenerateRequest,
  subjects: SubjectVariables,
): { stages: string[]; jobs: RenderedJob[]; diagnostics: Diag[] } {
  const stages = stageNames(planned);
  const ctx: JobContext = {
    caches: new Map((req.schema?.caches ?? []).map((c) => [c.name, c])),
    facts: req.facts,
    stages,
    interruptible: cancelsInProgress(req.schema?.workflow),
    subjects,
  };
  const diagnostics: Diag[] = [];
  const jobs: RenderedJob[] = [];
  for (const gl of planned) {
    const r = renderJob(gl, ctx);
    jobs.push({ gl, key: withComment(matrixComment(gl, req.schema), gl.name), job: r.job });
    diagnostics.push(...r.diagnostics);
  }
  return { stages, jobs, diagnostics };
}

// Job id → its matrix axis names in cig.toml order, per schema: a lookup per variant, not a scan of every job.
const axesBySchema = new WeakMap<CigSchema, Map<string, string[]>>();
function declaredAxes(schema: CigSchema | undefined): ReadonlyMap<string, string[]> {
  if (!schema) return new Map();
  let axes = axesBySchema.get(schema);
  if (!axes) {
    axes = new Map(schema.jobs.map((j) => [j.id, (j.matrix?.axes ?? []).map((a) => a.name)]));
    axesBySchema.set(schema, axes);
  }
  return axes;
}

/**
 * The comment above a matrix cell's job: which cig.toml job it is and its
 * matrix values as JSON, axes in cig.toml order — for the reader, and for
 * test/parse-gitlab.ts, since GitLab has no key for them.
 */
export function matrixComment(gl: GitlabJob, schema: CigSchema | undefined): string {
  const values = gl.job.matrix;
  const axes = Object.keys(values);
  if (axes.length === 0) return "";
  const declared = declaredAxes(schema).get(gl.job.jobId) ?? [];
  const rank = (a: string) => (declared.includes(a) ? declared.indexOf(a) : declared.length);
  axes.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return `matrix of ${gl.job.jobId}: {${axes.map((a) => `${JSON.stringify(a)}: ${JSON.stringify(values[a])}`).join(", ")}}`;
}
