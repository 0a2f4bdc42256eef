import { type CigSchema, Fragment_Format, type GenerateRequest, type GenerateResponseSchema, MergeStrategy } from "@cig/proto";
import {
  type Diag,
  type JsonMap,
  type OutputPathOptions,
  orderKeys,
  outputPaths,
  type Reply,
  setIf,
  warningDiag,
  wrongTargetDiag,
} from "@cig/sdk";
import { toGitlabYaml, withComment } from "./gitlab-yaml.js";
import { PIPELINE_KEY_ORDER } from "./key-order.js";
import { type GitlabJob, planGitlabJobs, stageNames } from "./plan-gitlab-jobs.js";
import { renderJob, renderVariables } from "./render-job.js";
import { cancelsInProgress, renderWorkflow } from "./render-workflow.js";

/** Where the pipeline goes when cig.toml has no `[[outputs]]` entry for gitlab: GitLab's default CI file. */
export const DEFAULT_OUTPUT_PATH = ".gitlab-ci.yml";

// The output paths to write; GitLab reads another file only when the project's settings say so, hence a warning.
const OUTPUT_PATHS: OutputPathOptions = {
  provider: "gitlab",
  defaultPath: DEFAULT_OUTPUT_PATH,
  check: (path) =>
    path === DEFAULT_OUTPUT_PATH
      ? undefined
      : warningDiag(
          "PROVIDER_GITLAB_OUTPUT_NOT_DEFAULT",
          `GitLab reads ${DEFAULT_OUTPUT_PATH}, not ${path}, unless told otherwise`,
          `GitLab runs the pipeline in ${DEFAULT_OUTPUT_PATH} at the repository root; ${path} is used only when the project's CI/CD configuration file setting names it, or when another file includes it.`,
          `Set Settings > CI/CD > General pipelines > CI/CD configuration file to ${path}, or use ${DEFAULT_OUTPUT_PATH}.`,
        ),
};

/**
 * The generate hook: one pipeline file per gitlab output, each holding
 * every job of the graph. Problems are diagnostics; this never throws on
 * user input.
 */
export function generatePipeline(req: GenerateRequest): Reply<typeof GenerateResponseSchema> {
  const wrong = wrongTargetDiag(req.target, "gitlab", "GitLab CI");
  if (wrong) return { diagnostics: [wrong] };
  const diagnostics: Diag[] = [];
  const paths = outputPaths(req.outputs, OUTPUT_PATHS, diagnostics);
  const planned = planGitlabJobs(req.graph);
  diagnostics.push(...planned.diagnostics);
  if (planned.jobs.length === 0) {
    diagnostics.push(
      warningDiag(
        "PROVIDER_GITLAB_NO_JOBS",
        "No jobs to render for GitLab CI",
        "The graph has no job resources, and GitLab rejects a pipeline without jobs, so no file was written.",
        "Add a [jobs.<id>] table to cig.toml.",
      ),
    );
    return { diagnostics };
  }

  const workflow = renderWorkflow(req.schema?.workflow);
  diagnostics.push(...workflow.diagnostics);
  const stages = stageNames(planned.jobs);
  const ctx = {
    caches: new Map((req.schema?.caches ?? []).map((c) => [c.name, c])),
    facts: req.facts,
    stages,
    interruptible: cancelsInProgress(req.schema?.workflow),
  };
  const pipeline: JsonMap = { workflow: workflow.workflow, stages };
  const variables = { ...renderVariables(req.schema?.workflow?.env ?? {}, new Set()), ...workflow.inputs };
  setIf(pipeline, "variables", variables);
  const jobs: JsonMap = {};
  for (const gl of planned.jobs) {
    const r = renderJob(gl, ctx);
    jobs[withComment(matrixComment(gl, req.schema), gl.name)] = r.job;
    diagnostics.push(...r.diagnostics);
  }
  // Jobs after the pipeline-wide keys, in graph (topological) order.
  const content = toGitlabYaml({ ...orderKeys(pipeline, PIPELINE_KEY_ORDER), ...jobs });
  const fragments = paths.map((path) => ({ path, content, strategy: MergeStrategy.REPLACE, format: Fragment_Format.YAML }));
  return { fragments, diagnostics: dedupe(diagnostics) };
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
  const declared = (schema?.jobs.find((j) => j.id === gl.job.jobId)?.matrix?.axes ?? []).map((a) => a.name);
  const rank = (a: string) => (declared.includes(a) ? declared.indexOf(a) : declared.length);
  axes.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return `matrix of ${gl.job.jobId}: {${axes.map((a) => `${JSON.stringify(a)}: ${JSON.stringify(values[a])}`).join(", ")}}`;
}

// One report per problem: the variants of a matrix job share their steps, and so their problems.
function dedupe(diagnostics: readonly Diag[]): Diag[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = JSON.stringify([d.code, d.title, d.message, d.loc]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
