import { Fragment_Format, type GenerateRequest, type GenerateResponseSchema, MergeStrategy } from "@cig/proto";
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
import { SUBJECT_VARIABLE } from "./condition-rules.js";
import { toGitlabYaml } from "./gitlab-yaml.js";
import { PIPELINE_KEY_ORDER } from "./key-order.js";
import { planGitlabJobs } from "./plan-gitlab-jobs.js";
import { renderBootstrap } from "./render-bootstrap.js";
import { renderChildPipeline } from "./render-child-pipeline.js";
import { renderVariables } from "./render-job.js";
import { renderJobs } from "./render-jobs.js";
import { cancelsInProgress, renderWorkflow } from "./render-workflow.js";
import { skipSettings } from "./skip-settings.js";

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
 * every job of the graph — or, when some job is skippable, the bootstrap
 * that computes work signatures and runs the jobs that must run as a child
 * pipeline, and, with `decisions` (`cig compute-signatures --render
 * gitlab`), that child pipeline. Problems are diagnostics; this never
 * throws on user input.
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
  const variables = { ...renderVariables(req.schema?.workflow?.env ?? {}, new Set()), ...workflow.inputs };
  // Every job is rendered, whatever file results, so that `cig render` reports each job's problems.
  const rendered = renderJobs(planned.jobs, req, SUBJECT_VARIABLE);
  diagnostics.push(...rendered.diagnostics);
  const skip = planned.jobs.some((gl) => gl.job.skippable)
    ? skipSettings(req.schema, planned.jobs, cancelsInProgress(req.schema?.workflow))
    : { diagnostics: [] };
  diagnostics.push(...skip.diagnostics);

  let pipeline: JsonMap;
  if (skip.settings && req.decisions) pipeline = renderChildPipeline(req, req.decisions, skip.settings, workflow.workflow, variables);
  else if (skip.settings) pipeline = renderBootstrap(workflow.workflow, variables, skip.settings);
  else {
    pipeline = { workflow: workflow.workflow, stages: rendered.stages };
    setIf(pipeline, "variables", variables);
    // Jobs after the pipeline-wide keys, in graph (topological) order.
    for (const { key, job } of rendered.jobs) pipeline[key] = job;
  }
  const content = toGitlabYaml(orderPipeline(pipeline));
  const fragments = paths.map((path) => ({ path, content, strategy: MergeStrategy.REPLACE, format: Fragment_Format.YAML }));
  return { fragments, diagnostics: dedupe(diagnostics) };
}

// The pipeline-wide keys first, in their documented order, then the jobs as they were added.
function orderPipeline(pipeline: JsonMap): JsonMap {
  const globals: JsonMap = {};
  const jobs: JsonMap = {};
  for (const [k, v] of Object.entries(pipeline)) ((PIPELINE_KEY_ORDER as readonly string[]).includes(k) ? globals : jobs)[k] = v;
  return { ...orderKeys(globals, PIPELINE_KEY_ORDER), ...jobs };
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
