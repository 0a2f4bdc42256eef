import { type Cache, CacheAction_Operation, type CigSchema, type JobResource, type MatrixAxis } from "@cig/proto";
import {
  type Diag,
  deepMerge,
  effectiveStep,
  errorDiag,
  fillDefaults,
  type Json,
  type JsonMap,
  orderKeys,
  setIf,
  sortedStrings,
  sortKeysDeep,
  warningDiag,
} from "@cig/sdk";
import { ACTION_VERSIONS, actionRepo } from "./action-versions.js";
import { githubCondition } from "./github-condition.js";
import { JOB_KEY_ORDER, STRATEGY_KEY_ORDER } from "./key-order.js";
import { bindMatrixDeep, type MatrixBinding } from "./matrix-placeholders.js";
import type { GithubJob } from "./plan-github-jobs.js";
import { renderCacheStep } from "./render-cache-step.js";
import { renderMatrix } from "./render-matrix.js";
import { renderServices } from "./render-service.js";
import { renderStep, type StepContext } from "./render-step.js";
import { unknownCache } from "./step-diagnostics.js";

/** What every job of one request shares. */
export interface JobContext {
  schema: CigSchema | undefined;
  caches: ReadonlyMap<string, Cache>;
  /** Each cig.toml job's matrix axes as declared (the graph's matrix maps are sorted by key). */
  axes: ReadonlyMap<string, readonly MatrixAxis[]>;
  facts: Readonly<Record<string, string>>;
}

/** The runner GitHub uses when a job names none: GitHub's standard Linux runner. */
export const DEFAULT_RUNS_ON = "ubuntu-latest";

/**
 * One GitHub job from its variants (all identical but for the matrix when
 * grouped). Keys follow {@link JOB_KEY_ORDER}; the runner's other `github`
 * keys and then the job's `passthrough.github` are merged over what cig models.
 */
export function renderJob(gh: GithubJob, ctx: JobContext): { job: JsonMap; diagnostics: Diag[] } {
  const rep = gh.variants[0];
  if (!rep) return { job: {}, diagnostics: [] };
  const job = rep.job;
  const at = { resourceId: rep.resourceId, loc: job.loc };
  const diagnostics: Diag[] = [];
  const binding: MatrixBinding = { grouped: gh.grouped, values: job.matrix };
  const unknownAxes = new Set<string>();
  const declared = ctx.axes.get(gh.jobId) ?? [];
  const axisOrder = declared.map((a) => a.name);

  const out: JsonMap = {};
  const axes = Object.keys(job.matrix).sort((a, b) => rank(axisOrder, a) - rank(axisOrder, b) || (a < b ? -1 : 1));
  // Per-variant jobs are named like GitHub names matrix jobs, "test (3.2, amd64)".
  if (!gh.grouped && axes.length > 0) out.name = `${gh.jobId} (${axes.map((a) => job.matrix[a]).join(", ")})`;
  setIf(out, "needs", gh.needs);
  setIf(out, "if", githubCondition(job.condition, at, diagnostics));
  const { runsOn, extra } = runnerKeys(job, at, diagnostics);
  out["runs-on"] = runsOn;
  if (gh.grouped) {
    const cells = gh.variants.map((v) => v.job.matrix);
    const matrix = renderMatrix(cells, axisOrder, new Map(declared.map((a) => [a.name, a.values])));
    // Variants are independent jobs in cig and on every other provider: one failing cell must not cancel the rest.
    out.strategy = orderKeys({ matrix, "fail-fast": false }, STRATEGY_KEY_ORDER);
  }
  setIf(out, "timeout-minutes", job.timeoutMinutes);
  const services = renderServices(job.services);
  if (services && typeof runsOn === "string" && /^(macos|windows)/i.test(runsOn)) diagnostics.push(servicesNeedLinux(runsOn, at));
  setIf(out, "services", services);
  setIf(out, "env", sortedStrings(job.env));

  const passthrough = { ...(job.passthrough.github ?? {}) };
  const checkout = passthrough.checkout;
  delete passthrough.checkout;
  out.steps = renderSteps(job, checkout !== false, { ...ctx, binding, unknownAxes, resourceId: rep.resourceId }, diagnostics);

  // The runner's other github keys are defaults for the job; the job's own passthrough wins over both.
  const merged = deepMerge(fillDefaults(out, extra), sortKeysDeep(passthrough) as JsonMap);
  const bound = bindMatrixDeep(merged, binding, unknownAxes) as JsonMap;
  if (unknownAxes.size > 0) diagnostics.push(unknownAxis([...unknownAxes], job, at));
  return { job: orderKeys(bound, JOB_KEY_ORDER), diagnostics };
}

function renderSteps(job: JobResource, wantCheckout: boolean, ctx: Omit<StepContext, "jobInstallsPnpm">, diagnostics: Diag[]): Json[] {
  const steps: Json[] = [];
  let afterCheckout = -1;
  const effective = job.steps.map((s) => effectiveStep(s, "github"));
  const isCheckout = (s: (typeof effective)[number]) =>
    s.action.case === "checkout" || (s.action.case === "uses" && actionRepo(s.action.value.ref) === "actions/checkout");
  if (wantCheckout && !effective.some(isCheckout)) {
    steps.push({ uses: ACTION_VERSIONS.checkout });
    afterCheckout = 1;
  }
  const jobInstallsPnpm = effective.some(
    (s) =>
      (s.action.case === "uses" && actionRepo(s.action.value.ref) === "pnpm/action-setup") ||
      (s.action.case === "setupTool" && s.action.value.tool === "pnpm"),
  );
  job.steps.forEach((step, i) => {
    const r = renderStep(step, { ...ctx, jobInstallsPnpm });
    steps.push(...r.steps);
    diagnostics.push(...r.diagnostics);
    if (afterCheckout < 0 && isCheckout(effective[i] as (typeof effective)[number])) afterCheckout = steps.length;
  });

  // Caches the job declares but no step restores: restore-and-save right after checkout.
  const used = new Set(effective.flatMap((s) => (s.action.case === "cache" ? [s.action.value.name] : [])));
  const missing = [...new Set(job.caches)].filter((name) => !used.has(name));
  const injected: Json[] = [];
  for (const name of missing) {
    const cache = ctx.caches.get(name);
    if (cache) injected.push(renderCacheStep(cache, CacheAction_Operation.RESTORE_AND_SAVE, ctx.binding, ctx.unknownAxes));
    else diagnostics.push(unknownCache(name, { resourceId: ctx.resourceId, loc: job.loc }));
  }
  steps.splice(Math.max(afterCheckout, 0), 0, ...injected);
  return steps;
}

function runnerKeys(
  job: JobResource,
  at: { resourceId: string; loc: JobResource["loc"] },
  diagnostics: Diag[],
): { runsOn: Json; extra: JsonMap } {
  const runner = job.runner;
  const mapping = runner?.providers.github ? (sortKeysDeep(runner.providers.github) as JsonMap) : undefined;
  const { "runs-on": runsOn, ...extra } = mapping ?? {};
  if (runsOn !== undefined && runsOn !== null && runsOn !== "") return { runsOn, extra };
  if (!runner?.name && !mapping) return { runsOn: DEFAULT_RUNS_ON, extra };
  diagnostics.push(
    errorDiag(
      "PROVIDER_GITHUB_NO_RUNNER",
      `Runner ${runner?.name || "(default)"} has no GitHub mapping`,
      `Job ${job.jobId} runs on runner "${runner?.name ?? ""}", whose [runners.${runner?.name ?? ""}] table has no github = { runs-on = ... } entry, so provider/github cannot tell GitHub where to run it.`,
      `Add github = { runs-on = "ubuntu-latest" } (or your self-hosted labels) to [runners.${runner?.name ?? ""}] in cig.toml.`,
      at,
    ),
  );
  return { runsOn: DEFAULT_RUNS_ON, extra };
}

function rank(order: readonly string[], axis: string): number {
  const i = order.indexOf(axis);
  return i < 0 ? order.length : i;
}

function unknownAxis(axes: string[], job: JobResource, at: { resourceId: string; loc: JobResource["loc"] }): Diag {
  return errorDiag(
    "PROVIDER_GITHUB_UNKNOWN_MATRIX_AXIS",
    `Job ${job.jobId} refers to matrix axes it does not have: ${axes.join(", ")}`,
    `{{ matrix.${axes[0]} }} appears in the job, but its matrix has ${Object.keys(job.matrix).length > 0 ? `only ${Object.keys(job.matrix).sort().join(", ")}` : "no axes"}; the placeholder was left as written.`,
    "Fix the axis name, or add the axis to the job's matrix in cig.toml.",
    at,
  );
}

function servicesNeedLinux(runsOn: string, at: { resourceId: string; loc: JobResource["loc"] }): Diag {
  return warningDiag(
    "PROVIDER_GITHUB_SERVICES_NEED_LINUX",
    `Service containers do not run on ${runsOn}`,
    "GitHub Actions starts service containers only on Linux runners.",
    "Run the job on a Linux runner, or start the services in a step.",
    at,
  );
}
