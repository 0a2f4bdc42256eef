import { Fragment_Format, type GenerateRequest, type GenerateResponseSchema, MergeStrategy } from "@cig/proto";
import {
  type Diag,
  type JsonMap,
  type OutputPathOptions,
  orderKeys,
  outputPaths,
  type Reply,
  warningDiag,
  wrongTargetDiag,
} from "@cig/sdk";
import { toWorkflowYamlFast } from "./fast-workflow-yaml.js";
import { WORKFLOW_KEY_ORDER } from "./key-order.js";
import { planGithubJobs } from "./plan-github-jobs.js";
import { renderJob } from "./render-job.js";
import { renderWorkflowHeader } from "./render-workflow-header.js";
import { rememberGraph, rememberRefs } from "./rendered-refs.js";
import { addSkipMachinery } from "./skip-machinery.js";

/** Where the workflow goes when cig.toml has no `[[outputs]]` entry for github. */
export const DEFAULT_OUTPUT_PATH = ".github/workflows/ci.yml";

const WORKFLOW_PATH = /^\.github\/workflows\/[^/]+\.ya?ml$/;

// The output paths to write; GitHub runs workflows only from .github/workflows/*.y(a)ml, so any other path gets a warning.
const OUTPUT_PATHS: OutputPathOptions = {
  provider: "github",
  defaultPath: DEFAULT_OUTPUT_PATH,
  check: (path) =>
    WORKFLOW_PATH.test(path)
      ? undefined
      : warningDiag(
          "PROVIDER_GITHUB_OUTPUT_NOT_A_WORKFLOW",
          `GitHub does not run workflows from ${path}`,
          "GitHub Actions only runs .yml/.yaml files directly inside .github/workflows/.",
          'Use a path such as ".github/workflows/ci.yml", unless the file is meant for something else.',
        ),
};

/**
 * The generate hook: one workflow file per github output, each holding every
 * job of the graph (cig has no per-output job selection yet). Problems are
 * diagnostics; this never throws on user input. With skippable jobs the
 * workflow also carries the skip machinery ({@link addSkipMachinery}),
 * and its manual trigger the `cig-force` input;
 * `req.decisions` is ignored, as GitHub decides at run time.
 */
export function generateWorkflows(req: GenerateRequest): Reply<typeof GenerateResponseSchema> {
  const wrong = wrongTargetDiag(req.target, "github", "GitHub Actions");
  if (wrong) return { diagnostics: [wrong] };
  const diagnostics: Diag[] = [];

  const outputs = outputPaths(req.outputs, OUTPUT_PATHS, diagnostics);
  rememberGraph(req.graph);
  const planned = planGithubJobs(req.graph);
  diagnostics.push(...planned.diagnostics);
  if (planned.jobs.length === 0) {
    diagnostics.push(
      warningDiag(
        "PROVIDER_GITHUB_NO_JOBS",
        "No jobs to render for GitHub Actions",
        "The graph has no job resources, and GitHub rejects a workflow without jobs, so no workflow file was written.",
        "Add a [jobs.<id>] table to cig.toml.",
      ),
    );
    return { diagnostics };
  }

  const ctx = {
    schema: req.schema,
    caches: new Map((req.schema?.caches ?? []).map((c) => [c.name, c])),
    axes: new Map((req.schema?.jobs ?? []).map((j) => [j.id, j.matrix?.axes ?? []])),
    facts: req.facts,
  };
  const rendered: JsonMap = {};
  for (const gh of planned.jobs) {
    const r = renderJob(gh, ctx);
    rendered[gh.id] = r.job;
    diagnostics.push(...r.diagnostics);
  }
  // GitHub decides what to skip at run time, through the bootstrap job's outputs: req.decisions
  // (for providers that render at run time) is not used here.
  const project = req.schema?.project?.name ?? "";
  const { header, diagnostics: headerDiags } = renderWorkflowHeader(project, req.schema?.workflow);
  // The machinery may add the force input to the manual trigger.
  const { jobs, on, diagnostics: skipDiags } = addSkipMachinery(planned.jobs, rendered, req.schema, header.on as JsonMap);
  header.on = on;
  diagnostics.push(...skipDiags, ...headerDiags);

  const fragments = outputs.map((path) => {
    const name = workflowName(project, path, outputs.length > 1);
    const workflow = orderKeys({ ...header, ...(name ? { name } : {}), jobs }, WORKFLOW_KEY_ORDER);
    const content = toWorkflowYamlFast(workflow);
    rememberRefs(content, jobs);
    return { path, content, strategy: MergeStrategy.REPLACE, format: Fragment_Format.YAML };
  });
  return { fragments, diagnostics };
}

// With several workflow files, each name says which file it is, as GitHub lists them by name.
function workflowName(project: string, path: string, several: boolean): string {
  if (!several) return project;
  const base = path.replace(/^.*\//, "").replace(/\.ya?ml$/, "");
  return project ? `${project} (${base})` : base;
}
