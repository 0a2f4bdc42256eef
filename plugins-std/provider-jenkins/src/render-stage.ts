import type { Cache, JobResource, Step } from "@cig/proto";
import {
  bindMatrixValues,
  compareStrings,
  type Diag,
  deepMerge,
  effectiveStep,
  errorDiag,
  isJsonMap,
  type Json,
  type JsonMap,
  parseCondition,
  sortKeysDeep,
  warningDiag,
} from "@cig/sdk";
import { block, commentJson, groovyString, isGroovyIdentifier } from "./groovy-text.js";
import { directive, optionCalls, stepCalls } from "./passthrough-groovy.js";
import type { JobVariant } from "./plan-stages.js";
import { omitKeys, providerTable } from "./provider-table.js";
import { AGENT_KEYS, hasAgent, renderAgent } from "./render-agent.js";
import { type CacheUse, wrapInCaches } from "./render-caches.js";
import { usesRunStatus, whenConditions } from "./render-condition.js";
import { wrapInServices } from "./render-services.js";
import { MISE_DATA_DIR, miseVersionVariable, toolImage } from "./render-setup-tool.js";
import { recordPassLines, skipCondition } from "./render-skip-machinery.js";
import { type RenderedStep, renderStep } from "./render-step.js";
import { nativeCondition, unknownCache } from "./step-diagnostics.js";

/** Jenkins runs post conditions in this order, whatever order the file lists them in. */
export const POST_ORDER = [
  "always",
  "changed",
  "fixed",
  "regression",
  "aborted",
  "failure",
  "success",
  "unstable",
  "unsuccessful",
  "cleanup",
];

// Keys of a job's jenkins table that cig reads itself; every other key is a stage directive.
const OWN_KEYS = ["checkout", "when", "options", "environment", "cache", "post", ...AGENT_KEYS];

/**
 * One job variant as a declarative stage named after its variant id:
 * `// cig:` comments recording its needs and matrix cell (Jenkins has no
 * place for either), then `agent`, `when`, `options`, `environment`, other
 * directives from jenkins tables (sorted), `steps` and `post`.
 * `skipCommand` (cig's command, given for a skippable stage of a pipeline
 * with the skip machinery) adds the signature check to `when` and records
 * the pass in `post { success { } }`.
 */
export function renderStage(v: JobVariant, caches: ReadonlyMap<string, Cache>, diagnostics: Diag[], skipCommand?: string): string[] {
  const job = v.job;
  const at = { resourceId: v.resourceId, loc: job.loc };
  const unknownAxes = new Set<string>();
  const bind = (text: string) => bindMatrixValues(text, job.matrix, unknownAxes);
  const runnerTable = providerTable(job.runner?.providers, "jenkins");
  const jobTable = providerTable(job.passthrough, "jenkins");
  // The runner's keys are defaults for the job; the job's own table wins. Sorted: Structs have no key order.
  const table = sortKeysDeep(deepMerge(omitKeys(runnerTable, [...AGENT_KEYS]), omitKeys(jobTable, [...AGENT_KEYS]))) as JsonMap;

  // The stage image: the first setup tool's official image, unless a jenkins table chooses the machine.
  const steps = job.steps.map((s) => effectiveStep(s, "jenkins"));
  const imageIndex = hasAgent(jobTable) || hasAgent(runnerTable) ? -1 : steps.findIndex((s) => imageOf(s, bind) !== undefined);
  const image = imageIndex >= 0 ? imageOf(steps[imageIndex] as Step, bind) : undefined;

  const lines: string[] = [];
  if (v.needs.length > 0)
    lines.push(`// cig: needs ${v.needs.every((n) => /^[A-Za-z0-9._-]+$/.test(n)) ? v.needs.join(", ") : commentJson(v.needs)}`);
  const axes = Object.keys(job.matrix).sort(compareStrings);
  if (axes.length > 0) lines.push(`// cig: matrix ${commentJson(Object.fromEntries(axes.map((a) => [a, job.matrix[a]])))}`);
  lines.push(...renderAgent(jobTable, runnerTable, job.services.length > 0 ? undefined : image, at, diagnostics));
  lines.push(...renderWhen(job, table, at, diagnostics, skipCommand === undefined ? [] : [skipCondition(v.id)]));
  const options = deepMerge(
    job.timeoutMinutes > 0 ? { timeout: { time: job.timeoutMinutes, unit: "MINUTES" } } : {},
    isJsonMap(table.options) ? table.options : {},
  );
  if (Object.keys(options).length > 0) lines.push(...block("options", optionCalls(options, at, diagnostics)));
  const env: JsonMap = {
    ...Object.fromEntries(Object.entries(job.env).map(([k, val]) => [k, bind(val)])),
    ...(isJsonMap(table.environment) ? table.environment : {}),
  };
  lines.push(...environmentBlock(env, at, diagnostics));
  for (const [key, value] of Object.entries(omitKeys(table, OWN_KEYS))) lines.push(...directive(key, value, at, diagnostics));

  // Steps in order, status-conditioned ones into post blocks.
  const rendered = job.steps
    .map((s, i) => renderStep(s, { resourceId: v.resourceId, bind, fromImage: i === imageIndex }, diagnostics))
    .filter((r): r is RenderedStep => r !== undefined);
  checkReorder(rendered, at, diagnostics);
  const main = rendered.filter((r) => r.post === undefined).flatMap((r) => r.lines);
  const post = new Map<string, string[]>();
  for (const r of rendered) if (r.post !== undefined) post.set(r.post, [...(post.get(r.post) ?? []), ...r.lines]);
  if (isJsonMap(table.post)) {
    for (const [cond, calls] of Object.entries(table.post)) {
      if (isJsonMap(calls)) post.set(cond, [...(post.get(cond) ?? []), ...stepCalls(calls, at, diagnostics)]);
    }
  }
  // Last in `success`: only a stage that ran and passed, after everything else it does, records its pass.
  if (skipCommand !== undefined) post.set("success", [...(post.get("success") ?? []), ...recordPassLines(v.id, skipCommand)]);

  const miseEnv = miseVariables(steps, imageIndex, bind);
  const withTools = (body: string[]) => (miseEnv.length > 0 && body.length > 0 ? block(`withEnv([${miseEnv.join(", ")}])`, body) : body);
  let inner = main;
  if (job.services.length > 0) inner = wrapInServices(job.services, image, inner, bind);
  inner = wrapInCaches(
    cacheUses(job, rendered, caches, at, diagnostics),
    caches,
    isJsonMap(table.cache) ? table.cache : {},
    inner,
    bind,
    at,
    diagnostics,
  );
  const checkout = jobTable.checkout !== false && !rendered.some((r) => r.checkout) ? ["checkout scm"] : [];
  const stepLines = [...checkout, ...withTools(inner)];
  lines.push(...block("steps", stepLines.length > 0 ? stepLines : ["echo 'No steps to run'"]));
  const conditions = [...post.keys()].sort((a, b) => rank(a) - rank(b) || compareStrings(a, b));
  if (conditions.length > 0)
    lines.push(
      ...block(
        "post",
        conditions.flatMap((c) => (isGroovyIdentifier(c) ? block(c, withTools(post.get(c) ?? [])) : [])),
      ),
    );

  if (unknownAxes.size > 0) diagnostics.push(unknownAxis([...unknownAxes].sort(compareStrings), job, at));
  return block(`stage(${groovyString(v.id)})`, lines);
}

function imageOf(step: Step, bind: (t: string) => string): string | undefined {
  if (step.action.case !== "setupTool" || providerTable(step.passthrough, "jenkins").skip === true) return undefined;
  return toolImage({ ...step.action.value, version: bind(step.action.value.version) });
}

// mise's data directory and shims inside the workspace, and each installed tool's version.
function miseVariables(steps: readonly Step[], imageIndex: number, bind: (t: string) => string): string[] {
  const vars: string[] = [];
  steps.forEach((s, i) => {
    if (i === imageIndex || s.action.case !== "setupTool" || providerTable(s.passthrough, "jenkins").skip === true) return;
    const v = miseVersionVariable({ ...s.action.value, version: bind(s.action.value.version) });
    if (v) vars.push(groovyString(`${v.name}=${v.value}`));
  });
  if (vars.length === 0) return [];
  // The two GStrings interpolate only env.WORKSPACE, never user text.
  return [`"MISE_DATA_DIR=\${env.WORKSPACE}/${MISE_DATA_DIR}"`, `"PATH+MISE=\${env.WORKSPACE}/${MISE_DATA_DIR}/shims"`, ...vars];
}

// The stage's `when`: the jenkins table's own, else the job's condition translated, and `extra`
// (the skip check) after them; the lines of a `when` are ANDed, as in allOf.
function renderWhen(
  job: JobResource,
  table: JsonMap,
  at: { resourceId: string; loc: JobResource["loc"] },
  diagnostics: Diag[],
  extra: readonly string[],
): string[] {
  const own = table.when;
  if (isJsonMap(own)) {
    const body = Object.entries(own).flatMap(([k, val]) => directive(k, val, at, diagnostics));
    return block("when", [...(own.beforeAgent === undefined ? ["beforeAgent true"] : []), ...body, ...extra]);
  }
  // beforeAgent: a stage that does not run allocates no machine and pulls no image.
  const when = (conditions: readonly string[]) => (conditions.length > 0 ? block("when", ["beforeAgent true", ...conditions]) : []);
  if (!job.condition) return when(extra);
  const parsed = parseCondition(job.condition);
  if (!parsed.portable) {
    diagnostics.push(nativeCondition(job.condition, parsed.reason, "job", at));
    return when(extra);
  }
  if (usesRunStatus(parsed.condition)) diagnostics.push(statusOnJob(job.condition, at));
  return when([...whenConditions(parsed.condition), ...extra]);
}

function environmentBlock(env: JsonMap, at: { resourceId: string; loc: JobResource["loc"] }, diagnostics: Diag[]): string[] {
  const names = Object.keys(env).sort(compareStrings);
  const lines: string[] = [];
  for (const name of names) {
    if (!isGroovyIdentifier(name)) {
      diagnostics.push(
        errorDiag(
          "PROVIDER_JENKINS_BAD_ENV_NAME",
          `Environment variable name ${JSON.stringify(name)} cannot be declared in Jenkins`,
          "A Jenkins environment block names each variable with a Groovy identifier; this one was left out.",
          "Use letters, digits and _ only, not starting with a digit.",
          at,
        ),
      );
      continue;
    }
    const value: Json = env[name] ?? "";
    lines.push(`${name} = ${groovyString(typeof value === "string" ? value : JSON.stringify(value))}`);
  }
  return lines.length > 0 ? block("environment", lines) : [];
}

function cacheUses(
  job: JobResource,
  rendered: readonly RenderedStep[],
  caches: ReadonlyMap<string, Cache>,
  at: { resourceId: string; loc: JobResource["loc"] },
  diagnostics: Diag[],
): CacheUse[] {
  const byName = new Map<string, CacheUse>();
  const add = (u: CacheUse) => {
    const prev = byName.get(u.name);
    byName.set(u.name, { name: u.name, restore: u.restore || (prev?.restore ?? false), save: u.save || (prev?.save ?? false) });
  };
  for (const name of job.caches) add({ name, restore: true, save: true });
  for (const r of rendered) if (r.cache) add(r.cache);
  for (const name of byName.keys()) if (!caches.has(name)) diagnostics.push(unknownCache(name, at));
  return [...byName.values()].sort((a, b) => compareStrings(a.name, b.name));
}

// Post blocks run after the steps, in Jenkins' fixed order: say so when that is not the order cig.toml gave.
function checkReorder(rendered: readonly RenderedStep[], at: { resourceId: string; loc: JobResource["loc"] }, diagnostics: Diag[]): void {
  const seq = rendered.filter((r) => r.lines.length > 0).map((r) => (r.post === undefined ? -1 : rank(r.post)));
  if (seq.every((x, i) => i === 0 || (seq[i - 1] as number) <= x)) return;
  diagnostics.push(
    warningDiag(
      "PROVIDER_JENKINS_STEP_REORDERED",
      "Status-conditioned steps run after the others on Jenkins",
      "Steps with always(), failure() or cancelled() become post blocks, which Jenkins runs after every other step, in the order always, aborted, failure; in this job that changes the order cig.toml gives.",
      "Move status-conditioned steps to the end of the job, in that order, to make the order the same everywhere.",
      at,
    ),
  );
}

function rank(condition: string): number {
  const i = POST_ORDER.indexOf(condition);
  return i < 0 ? POST_ORDER.length : i;
}

function statusOnJob(text: string, at: { resourceId: string; loc: JobResource["loc"] }): Diag {
  return warningDiag(
    "PROVIDER_JENKINS_JOB_STATUS_CONDITION",
    `Job condition ${JSON.stringify(text)} depends on the run status`,
    "It became a when expression on currentBuild.currentResult; but once a stage fails, Jenkins skips every later stage without evaluating when, so the job runs only if earlier failures were caught (continue_on_error).",
    "Prefer step conditions (post blocks) for failure handling, or accept that the stage only sees caught failures.",
    at,
  );
}

function unknownAxis(axes: string[], job: JobResource, at: { resourceId: string; loc: JobResource["loc"] }): Diag {
  return errorDiag(
    "PROVIDER_JENKINS_UNKNOWN_MATRIX_AXIS",
    `Job ${job.jobId} refers to matrix axes it does not have: ${axes.join(", ")}`,
    `{{ matrix.${axes[0]} }} appears in the job, but its matrix has ${Object.keys(job.matrix).length > 0 ? `only ${Object.keys(job.matrix).sort(compareStrings).join(", ")}` : "no axes"}; the placeholder was left as written.`,
    "Fix the axis name, or add the axis to the job's matrix in cig.toml.",
    at,
  );
}
