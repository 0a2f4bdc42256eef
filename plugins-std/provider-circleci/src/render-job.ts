import { type Cache, CacheAction_Operation, type JobResource, type Workflow } from "@cig/proto";
import {
  type Diag,
  deepMerge,
  effectiveStep,
  fillDefaults,
  type Json,
  type JsonMap,
  orderKeys,
  setIf,
  sortedStrings,
  sortKeysDeep,
  warningDiag,
} from "@cig/sdk";
import { type JobCondition, jobCondition } from "./job-condition.js";
import { JOB_KEY_ORDER } from "./key-order.js";
import { bindParameters, bindParametersDeep } from "./matrix-parameters.js";
import { providerRun } from "./provider-steps.js";
import { portWaits, renderExecutor } from "./render-executor.js";
import { type CircleStep, cacheSteps, renderStep, type StepContext } from "./render-step.js";
import { type At, unknownCache } from "./step-diagnostics.js";

/** Workflow-level keys of a job's circleci table: they go on its workflow entry, everything else on the job. */
export const WORKFLOW_JOB_KEYS = new Set([
  "context",
  "filters",
  "requires",
  "serial-group",
  "pre-steps",
  "post-steps",
  "type",
  "override-with",
  "matrix",
]);

/** What every job of one request shares. */
export interface JobContext {
  caches: ReadonlyMap<string, Cache>;
  workflow: Workflow | undefined;
  /** Matrix axes per cig.toml job id, in cig.toml order (the parameters' order). */
  axisOrder: ReadonlyMap<string, readonly string[]>;
  /** `filters.tags` that lets tag pipelines reach a job, when the triggers run any. */
  tagsAllowed: JsonMap | undefined;
}

/** One variant rendered: its job definition and what its workflow entry needs. */
export interface RenderedVariant {
  /** The job definition (`jobs.<key>`), with `<< parameters.axis >>` for matrix values. */
  body: JsonMap;
  /** Workflow entry keys besides name, matrix values and requires: filters, context, … */
  entry: JsonMap;
  condition: JobCondition;
  diagnostics: Diag[];
}

/**
 * One variant as a CircleCI job definition. Matrix values are job parameters
 * (`<< parameters.ruby >>`), so variants that differ only in their values
 * render to the same definition and share it. Keys follow
 * {@link JOB_KEY_ORDER}; the runner's other circleci keys fill in under
 * cig's, and the job's circleci table is merged last and wins.
 */
export function renderVariant(resourceId: string, job: JobResource, needs: readonly string[], ctx: JobContext): RenderedVariant {
  const at: At = { resourceId, loc: job.loc };
  const diagnostics: Diag[] = [];
  const unknownAxes = new Set<string>();
  const declared = ctx.axisOrder.get(job.jobId) ?? [];
  const axes = [
    ...declared.filter((a) => a in job.matrix),
    ...Object.keys(job.matrix)
      .filter((a) => !declared.includes(a))
      .sort(),
  ];
  const bind = (text: string) => bindParameters(text, axes, unknownAxes);
  const bindDeep = (value: Json) => bindParametersDeep(value, axes, unknownAxes);

  const table = job.passthrough.circleci ? (sortKeysDeep(job.passthrough.circleci) as JsonMap) : {};
  const entry: JsonMap = {};
  const jobTable: JsonMap = {};
  for (const [k, v] of Object.entries(table)) {
    if (k === "checkout") continue;
    if (WORKFLOW_JOB_KEYS.has(k)) entry[k] = v;
    else jobTable[k] = v;
  }
  // The table's own filters are the CircleCI spelling of the job's condition: no translation, no error.
  const condition = entry.filters !== undefined ? {} : jobCondition(job.condition, needs, ctx.tagsAllowed, at, diagnostics);

  const executor = renderExecutor(job, bind, at, diagnostics);
  const out: JsonMap = {};
  if (axes.length > 0) out.parameters = Object.fromEntries(axes.map((a) => [a, { type: "string" }]));
  Object.assign(out, executor.keys);
  // CircleCI has no workflow-level env: the workflow's env goes into every job, under the job's own.
  setIf(out, "environment", sortedStrings({ ...(ctx.workflow?.env ?? {}), ...job.env }));
  if (job.timeoutMinutes) diagnostics.push(jobTimeout(job.timeoutMinutes, at));

  const stepCtx: StepContext = {
    caches: ctx.caches,
    bind,
    bindDeep,
    resourceId,
    jobLoc: job.loc,
    image: executor.image,
    provides: executor.provides,
    diagnostics,
    atEnd: [],
  };
  out.steps = renderSteps(job, table.checkout !== false, condition, stepCtx);

  const merged = deepMerge(fillDefaults(out, executor.runnerDefaults), jobTable);
  const body = bindDeep(merged) as JsonMap;
  if (unknownAxes.size > 0) diagnostics.push(unknownAxis([...unknownAxes], job, at));
  return { body: orderKeys(body, JOB_KEY_ORDER), entry: bindDeep(entry) as JsonMap, condition, diagnostics };
}

function renderSteps(job: JobResource, wantCheckout: boolean, condition: JobCondition, ctx: StepContext): Json[] {
  const steps: CircleStep[] = [];
  if (condition.halt) steps.push(condition.halt);
  const effective = job.steps.map((s) => effectiveStep(s, "circleci"));
  if (wantCheckout && !effective.some((s) => s.action.case === "checkout")) steps.push("checkout");

  // Caches the job declares but no step restores: restored after the checkout, saved at the end.
  const used = new Set(effective.flatMap((s) => (s.action.case === "cache" ? [s.action.value.name] : [])));
  for (const name of [...new Set(job.caches)].filter((n) => !used.has(n))) {
    const cache = ctx.caches.get(name);
    if (cache) steps.push(...cacheSteps(cache, CacheAction_Operation.RESTORE_AND_SAVE, ctx));
    else ctx.diagnostics.push(unknownCache(name, { resourceId: ctx.resourceId, loc: job.loc }));
  }

  // Port waits go right before the module's own "Wait for <service>" step, or after the setup above.
  const waits = portWaits(job.services);
  const placeWait = (name: string) => {
    const lines = waits.get(name);
    if (!lines) return;
    steps.push(providerRun(`Wait for ${name} to accept connections`, lines));
    waits.delete(name);
  };
  const waitFor = (name: string) => /^Wait for (.+)$/.exec(name)?.[1];
  if (!job.steps.some((s) => waits.has(waitFor(s.name) ?? ""))) for (const name of [...waits.keys()]) placeWait(name);
  for (const step of job.steps) {
    const service = waitFor(step.name);
    if (service !== undefined) placeWait(service);
    steps.push(...renderStep(step, ctx));
  }
  for (const name of [...waits.keys()]) placeWait(name);
  steps.push(...ctx.atEnd);
  return steps;
}

function jobTimeout(minutes: number, at: At): Diag {
  return warningDiag(
    "PROVIDER_CIRCLECI_JOB_TIMEOUT",
    `CircleCI has no per-job timeout (timeout = ${minutes})`,
    "CircleCI limits a job's run time only through the plan's maximum; the job's timeout was not rendered.",
    "Bound long steps with `timeout` in their commands, or set a step timeout (CircleCI's no_output_timeout).",
    at,
  );
}

function unknownAxis(axes: string[], job: JobResource, at: At): Diag {
  return warningDiag(
    "PROVIDER_CIRCLECI_UNKNOWN_MATRIX_AXIS",
    `Job ${job.jobId} refers to matrix axes it does not have: ${axes.join(", ")}`,
    `{{ matrix.${axes[0]} }} appears in the job, but its matrix has ${Object.keys(job.matrix).length > 0 ? `only ${Object.keys(job.matrix).sort().join(", ")}` : "no axes"}; the placeholder was left as written.`,
    "Fix the axis name, or add the axis to the job's matrix in cig.toml.",
    at,
  );
}
