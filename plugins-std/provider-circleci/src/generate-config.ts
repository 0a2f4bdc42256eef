import {
  Fragment_Format,
  type GenerateRequest,
  type GenerateResponseSchema,
  MergeStrategy,
  Resource_Kind,
  type SourceLocation,
} from "@cig/proto";
import {
  canonicalJson,
  compareStrings,
  type Diag,
  errorDiag,
  type Json,
  type JsonMap,
  type OutputPathOptions,
  orderKeys,
  outputPaths,
  type Reply,
  warningDiag,
  wrongTargetDiag,
} from "@cig/sdk";
import { toConfigYaml } from "./circleci-yaml.js";
import { JobKeys } from "./job-names.js";
import { CONFIG_KEY_ORDER, FILTER_KEY_ORDER, INVOCATION_KEY_ORDER } from "./key-order.js";
import { type RenderedVariant, renderVariant } from "./render-job.js";
import { renderTriggers } from "./render-triggers.js";

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

/** One variant of the graph with its rendering. */
interface Variant {
  /** "test-ruby3.2-amd64". */
  id: string;
  jobId: string;
  matrix: Readonly<Record<string, string>>;
  needs: string[];
  rendered: RenderedVariant;
}

/**
 * The generate hook: one `.circleci/config.yml` (version 2.1) per circleci
 * output, each holding every job of the graph in one workflow. Variants of a
 * cig.toml job that render to the same definition share it, invoked once
 * per variant with its matrix values as parameters. Problems are
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

  const ids = new Set(req.graph.filter((r) => r.kind === Resource_Kind.JOB).map((r) => r.id));
  const byJob = new Map<string, Variant[]>();
  for (const r of req.graph) {
    if (r.kind !== Resource_Kind.JOB || r.spec.case !== "job") continue;
    const job = r.spec.value;
    const id = r.id.replace(/^job:/, "");
    const needs: string[] = [];
    for (const n of job.needs) {
      if (ids.has(n)) needs.push(n.replace(/^job:/, ""));
      else diagnostics.push(unknownNeed(r.id, n, job.loc));
    }
    const variant = {
      id,
      jobId: job.jobId || id,
      matrix: job.matrix,
      needs: [...new Set(needs)],
      rendered: renderVariant(r.id, job, needs, ctx),
    };
    byJob.set(variant.jobId, [...(byJob.get(variant.jobId) ?? []), variant]);
  }
  if (byJob.size === 0) {
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
      for (const v of members) entries.push(workflowEntry(key, v, axisOrder.get(jobId) ?? [], ctx.tagsAllowed));
    }
  }

  const workflow: JsonMap = {};
  if (triggers.when !== undefined) workflow.when = triggers.when;
  workflow.jobs = entries;
  const name = req.schema?.project?.name || "ci";
  const config = orderKeys({ version: 2.1, jobs, workflows: { [name]: workflow } }, CONFIG_KEY_ORDER);
  const content = toConfigYaml(config);
  const fragments = outputs.map((path) => ({ path, content, strategy: MergeStrategy.REPLACE, format: Fragment_Format.YAML }));
  return { fragments, diagnostics };
}

/**
 * The cig.toml jobs in dependency order, ties broken by id (code units): the
 * graph's topological order is one of many, and the file should not change
 * when the core picks another.
 */
function stableOrder(byJob: ReadonlyMap<string, Variant[]>): string[] {
  const jobOf = new Map([...byJob].flatMap(([jobId, vs]) => vs.map((v): [string, string] => [v.id, jobId])));
  const pending = new Map([...byJob].map(([jobId, vs]) => [jobId, new Set(vs.flatMap((v) => v.needs.map((n) => jobOf.get(n) ?? n)))]));
  for (const [jobId, deps] of pending) deps.delete(jobId);
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, deps]) => [...deps].every((d) => !pending.has(d))).map(([id]) => id);
    // A cycle cannot reach generate (the core rejects it); should one, keep the rest in id order.
    const next = (ready.length > 0 ? ready : [...pending.keys()]).sort(compareStrings)[0] as string;
    order.push(next);
    pending.delete(next);
  }
  return order;
}

// `- key` or `- key: { name, <axis values>, requires, context, filters, … }`.
function workflowEntry(key: string, v: Variant, declaredAxes: readonly string[], tagsAllowed: JsonMap | undefined): Json {
  const entry: JsonMap = {};
  if (key !== v.id) entry.name = v.id;
  const axes = [
    ...declaredAxes.filter((a) => a in v.matrix),
    ...Object.keys(v.matrix)
      .filter((a) => !declaredAxes.includes(a))
      .sort(),
  ];
  for (const axis of axes) entry[axis] = v.matrix[axis] as string;
  const { condition, entry: extra } = v.rendered;
  const status = condition.requireStatus;
  if (v.needs.length > 0) entry.requires = v.needs.map((n): Json => (status ? { [n]: status } : n));
  const filters = condition.filters ?? (tagsAllowed ? { tags: tagsAllowed } : undefined);
  if (filters) entry.filters = orderKeys(filters, FILTER_KEY_ORDER);
  // The job's circleci table (context, filters, …) wins over what cig derived.
  Object.assign(entry, extra);
  const ordered = orderKeys(entry, [...INVOCATION_KEY_ORDER.slice(0, 1), ...axes, ...INVOCATION_KEY_ORDER.slice(1)]);
  return Object.keys(ordered).length === 0 ? key : { [key]: ordered };
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
