import { Fragment_Format, type GenerateRequest, type GenerateResponseSchema, MergeStrategy, type Output } from "@cig/proto";
import type { Reply } from "@cig/sdk";
import { type Diag, errorDiag, warningDiag } from "./diagnostics.js";
import type { JsonMap } from "./json-value.js";
import { orderKeys, WORKFLOW_KEY_ORDER } from "./key-order.js";
import { planGithubJobs } from "./plan-github-jobs.js";
import { renderJob } from "./render-job.js";
import { renderWorkflowHeader } from "./render-workflow-header.js";
import { rememberRefs } from "./rendered-refs.js";
import { toWorkflowYaml } from "./workflow-yaml.js";

/** Where the workflow goes when cig.toml has no `[[outputs]]` entry for github. */
export const DEFAULT_OUTPUT_PATH = ".github/workflows/ci.yml";

const WORKFLOW_PATH = /^\.github\/workflows\/[^/]+\.ya?ml$/;

/**
 * The generate hook: one workflow file per github output, each holding every
 * job of the graph (cig has no per-output job selection yet). Problems are
 * diagnostics; this never throws on user input.
 */
export function generateWorkflows(req: GenerateRequest): Reply<typeof GenerateResponseSchema> {
  const diagnostics: Diag[] = [];
  if (req.target !== "" && req.target !== "github") {
    diagnostics.push(
      errorDiag(
        "PROVIDER_GITHUB_WRONG_TARGET",
        `provider/github was asked to render target ${req.target}`,
        `provider/github renders GitHub Actions only; the core sent target "${req.target}".`,
        "This is a cig core bug: report it with `cig --verbose render`.",
      ),
    );
    return { diagnostics };
  }

  const outputs = outputPaths(req.outputs, diagnostics);
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

  const ctx = { schema: req.schema, caches: new Map((req.schema?.caches ?? []).map((c) => [c.name, c])), facts: req.facts };
  const jobs: JsonMap = {};
  for (const gh of planned.jobs) {
    const r = renderJob(gh, ctx);
    jobs[gh.id] = r.job;
    diagnostics.push(...r.diagnostics);
  }
  const project = req.schema?.project?.name ?? "";
  const { header, diagnostics: headerDiags } = renderWorkflowHeader(project, req.schema?.workflow);
  diagnostics.push(...headerDiags);

  const fragments = outputs.map((path) => {
    const name = workflowName(project, path, outputs.length > 1);
    const workflow = orderKeys({ ...header, ...(name ? { name } : {}), jobs }, WORKFLOW_KEY_ORDER);
    const content = toWorkflowYaml(workflow);
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

function outputPaths(outputs: readonly Output[], diagnostics: Diag[]): string[] {
  const mine = outputs.filter((o) => o.provider === "" || o.provider === "github");
  if (mine.length === 0) return [DEFAULT_OUTPUT_PATH];
  const paths: string[] = [];
  for (const o of mine) {
    const path = o.path || DEFAULT_OUTPUT_PATH;
    if (path.startsWith("/") || path.includes("\\") || path.split("/").includes("..")) {
      diagnostics.push(
        errorDiag(
          "PROVIDER_GITHUB_BAD_OUTPUT_PATH",
          `Output path ${path} is not inside the repository`,
          "An [[outputs]] path must be relative to the repository root, with / separators and no ..; this output was skipped.",
          'Use a path such as ".github/workflows/ci.yml".',
        ),
      );
      continue;
    }
    if (!WORKFLOW_PATH.test(path)) {
      diagnostics.push(
        warningDiag(
          "PROVIDER_GITHUB_OUTPUT_NOT_A_WORKFLOW",
          `GitHub does not run workflows from ${path}`,
          "GitHub Actions only runs .yml/.yaml files directly inside .github/workflows/.",
          'Use a path such as ".github/workflows/ci.yml", unless the file is meant for something else.',
        ),
      );
    }
    if (!paths.includes(path)) paths.push(path);
  }
  return paths;
}
