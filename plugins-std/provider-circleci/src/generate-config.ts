import {
  Fragment_Format,
  type GenerateRequest,
  type GenerateResponseSchema,
  type JobResource,
  MergeStrategy,
  Resource_Kind,
  type SourceLocation,
} from "@cig/proto";
import {
  canonicalJson,
  type Diag,
  errorDiag,
  type Json,
  type JsonMap,
  type OutputPathOptions,
  orderKeys,
  outputPaths,
  type Reply,
  rewireSkippedNeeds,
  warningDiag,
  wrongTargetDiag,
} from "@cig/sdk";
import { toConfigYaml } from "./circleci-yaml.js";
import { JobKeys } from "./job-names.js";
import { CONFIG_KEY_ORDER } from "./key-order.js";
import { NOTHING_TO_RUN_JOB, nothingToRunJob, recordPassSteps } from "./record-pass.js";
import { renderBootstrap } from "./render-bootstrap.js";
import { renderVariant } from "./render-job.js";
import { renderTriggers } from "./render-triggers.js";
import { forceParameters, skipSettings } from "./skip-settings.js";
import { stableOrder, type Variant, workflowEntry } from "./workflow-entries.js";

/** Where the config goes when cig.toml has no `[[outputs]]` entry for circleci: the one file CircleCI reads by default. */
export const DEFAULT_OUTPUT_PATH = ".circleci/config.yml";

const CONFIG_PATH = /^\.circleci\/[^/]+\.ya?ml$/;

// The output paths to write; CircleCI reads another file only when the project's settings say so, hence a warning.
const OUTPUT_PATHS: OutputPathOptions = {
  provider: "circleci",
  defaultPath: DEFAULT_OUTPUT_PATH,
  check: (path) =>
    CONFIG_PATH.test(path)
      ? undefined
      : warningDiag(
          "PROVIDER_CIRCLECI_OUTPUT_NOT_A_CONFIG",
          `CircleCI does not read ${path} by default`,
          `CircleCI reads ${DEFAULT_OUTPUT_PATH} unless the project's pipeline settings name another .yml file under .circleci/.`,
          `Use "${DEFAULT_OUTPUT_PATH}", or point the CircleCI pipeline at this file.`,
        ),
};

/** A job resource of the graph, before rendering. */
interface PlannedVariant {
  resourceId: string;
  /** The variant id: the resource id without `job:`. */
  id: string;
  jobId: string;
  job: JobResource;
  /** Variant ids, deduplicated, in the graph's order. */
  needs: string[];
}

/**
 * The generate hook: one `.circleci/config.yml` (version 2.1) per circleci
 * output, each holding every job of the graph in one workflow. Variants of a
 * cig.toml job that render to the same definition share it, invoked once
 * per variant with its matrix values as parameters. When a variant is
 * skippable, the file is instead the setup config that renders the
 * pipeline at run time ({@link renderBootstrap}); with `decisions` (that
 * run-time render) skipped variants are left out, requires rewired past
 * them, skippable variants record their pass, and the setup config's
 * `cig-force` pipeline parameter is declared again. Problems are
 * diagnostics; this never throws on user input.
 */
export function generateConfig(req: GenerateRequest): Reply<typeof GenerateResponseSchema> {
  const wrong = wrongTargetDiag(req.target, "circleci", "CircleCI");
  if (wrong) return { diagnostics: [wrong] };
  const diagnostics: Diag[] = [];
  const outputs = outputPaths(req.outputs, OUTPUT_PATHS, diagnostics);
  const triggers = renderTriggers(req.schema?.workflow);
  diagnostics.push(...triggers.diagnostics);
  const axisOrder = new Map((req.schema?.jobs ?? []).map((j) => [j.id, (j.matrix?.axes ?? []).map((a) => a.name)]));
  const ctx = {
    axisOrder,
    caches: new Map((req.schema?.caches ?? []).map((c) => [c.name, c])),
    workflow: req.schema?.workflow,
    tagsAllowed: triggers.tagsAllowed,
  };

  const settings = skipSettings(req.schema);
  // Run time (`cig compute-signatures --render circleci`): only the variants that run, with their pass records.
  const runtime = req.decisions !== undefined;
  const decisionOf = (resourceId: string) => req.decisions?.jobs[resourceId];
  const planned = plannedVariants(req, diagnostics);
  const skipped = new Set(planned.filter((p) => runtime && decisionOf(p.resourceId)?.shouldRun === false).map((p) => p.id));
  const rewired = rewireSkippedNeeds(planned, (id) => !skipped.has(id));
  const byJob = new Map<string, Variant[]>();
  for (const p of planned) {
    const needs = rewired.get(p.id);
    if (needs === undefined) continue;
    const rendered = renderVariant(p.resourceId, p.job, needs, ctx);
    const signature = decisionOf(p.resourceId)?.signature ?? "";
    if (runtime && p.job.skippable && Array.isArray(rendered.body.steps))
      rendered.body.steps = [...rendered.body.steps, ...recordPassSteps(p.id, signature, settings)];
    const variant = { id: p.id, jobId: p.jobId, matrix: p.job.matrix, needs, skippable: p.job.skippable, rendered };
    byJob.set(variant.jobId, [...(byJob.get(variant.jobId) ?? []), variant]);
  }
  if (planned.length === 0) {
    diagnostics.push(
      warningDiag(
        "PROVIDER_CIRCLECI_NO_JOBS",
        "No jobs to render for CircleCI",
        "The graph has no job resources, and CircleCI rejects a workflow without jobs, so no config was written.",
        "Add a [jobs.<id>] table to cig.toml.",
      ),
    );
    return { diagnostics };
  }

  const keys = new JobKeys();
  const jobs: JsonMap = {};
  const entries: Json[] = [];
  const skippable: string[] = [];
  for (const jobId of stableOrder(byJob)) {
    const variants = byJob.get(jobId) ?? [];
    // Variants with one definition share it; the first group is named after the cig.toml job.
    const groups = new Map<string, { key: string; variants: Variant[] }>();
    for (const v of variants) {
      const shape = canonicalJson(v.rendered.body);
      let group = groups.get(shape);
      if (!group) {
        group = { key: keys.claim(groups.size === 0 ? jobId : v.id).key, variants: [] };
        groups.set(shape, group);
        jobs[group.key] = v.rendered.body;
        // Variants sharing a definition share its diagnostics: report them once.
        diagnostics.push(...v.rendered.diagnostics);
      }
      group.variants.push(v);
    }
    for (const { key, variants: members } of groups.values()) {
      for (const v of members) {
        entries.push(workflowEntry(key, v, axisOrder.get(jobId) ?? [], ctx.tagsAllowed));
        if (v.skippable) skippable.push(v.id);
      }
    }
  }
  if (entries.length === 0) {
    // Every variant was skipped; CircleCI rejects a workflow without jobs.
    jobs[NOTHING_TO_RUN_JOB] = nothingToRunJob(settings);
    entries.push(ctx.tagsAllowed ? { [NOTHING_TO_RUN_JOB]: { filters: { tags: ctx.tagsAllowed } } } : NOTHING_TO_RUN_JOB);
  }

  const workflow: JsonMap = {};
  if (triggers.when !== undefined) workflow.when = triggers.when;
  workflow.jobs = entries;
  const name = req.schema?.project?.name || "ci";
  // Statically, with something skippable, the committed file is the bootstrap that renders this config at run time.
  // The run-time config of a bootstrap (one with a skippable variant, run or not) declares the setup config's parameters too.
  const parameters = runtime && planned.some((p) => p.job.skippable) ? { parameters: forceParameters(settings) } : {};
  const config =
    !runtime && skippable.length > 0
      ? renderBootstrap(skippable, settings, triggers, req.schema?.workflow?.env ?? {})
      : orderKeys({ version: 2.1, ...parameters, jobs, workflows: { [name]: workflow } }, CONFIG_KEY_ORDER);
  const content = toConfigYaml(config);
  const fragments = outputs.map((path) => ({ path, content, strategy: MergeStrategy.REPLACE, format: Fragment_Format.YAML }));
  return { fragments, diagnostics };
}

// The graph's job variants; a need naming no job of the graph is reported and left out.
function plannedVariants(req: GenerateRequest, diagnostics: Diag[]): PlannedVariant[] {
  const ids = new Set(req.graph.filter((r) => r.kind === Resource_Kind.JOB).map((r) => r.id));
  const out: PlannedVariant[] = [];
  for (const r of req.graph) {
    if (r.kind !== Resource_Kind.JOB || r.spec.case !== "job") continue;
    const job = r.spec.value;
    const id = r.id.replace(/^job:/, "");
    const needs: string[] = [];
    for (const n of job.needs) {
      if (ids.has(n)) needs.push(n.replace(/^job:/, ""));
      else diagnostics.push(unknownNeed(r.id, n, job.loc));
    }
    out.push({ resourceId: r.id, id, jobId: job.jobId || id, job, needs: [...new Set(needs)] });
  }
  return out;
}

function unknownNeed(resourceId: string, need: string, loc: SourceLocation | undefined): Diag {
  return errorDiag(
    "PROVIDER_CIRCLECI_UNKNOWN_NEED",
    `${resourceId} needs ${need}, which is not in the graph`,
    `The job ${resourceId} lists ${need} in needs, but the graph handed to provider/circleci has no such job resource; the requirement was left out.`,
    "This is a cig core bug when cig.toml is valid: report it with the output of `cig explain job`.",
    { resourceId, loc },
  );
}
