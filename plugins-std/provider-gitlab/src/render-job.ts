import type { Cache, CacheAction_Operation, JobResource } from "@cig/proto";
import {
  bindMatrixValues,
  compareStrings,
  type Diag,
  deepMerge,
  type Json,
  type JsonMap,
  orderKeys,
  parseCondition,
  setIf,
  structToJson,
} from "@cig/sdk";
import { bindDeep } from "./bind-deep.js";
import { jobRules, type SubjectVariables } from "./condition-rules.js";
import { withComment } from "./gitlab-yaml.js";
import { JOB_KEY_ORDER, RULE_KEY_ORDER } from "./key-order.js";
import type { GitlabJob } from "./plan-gitlab-jobs.js";
import { combineOperations, MAX_CACHES, renderCache } from "./render-caches.js";
import { pointAtServices, renderServices } from "./render-services.js";
import { renderSetupTools } from "./render-setup-tools.js";
import { renderSteps } from "./render-steps.js";
import {
  type At,
  cacheKeyFiles,
  nativeCondition,
  noHealthCheck,
  toolNotInImage,
  tooManyCaches,
  unknownAxis,
  unknownCache,
  unsupportedCondition,
} from "./step-diagnostics.js";

/** What every job of one request shares. */
export interface JobContext {
  caches: ReadonlyMap<string, Cache>;
  facts: Readonly<Record<string, string>>;
  /** The stage name of each level. */
  stages: readonly string[];
  /** [concurrency] cancel_in_progress: jobs are interruptible. */
  interruptible: boolean;
  /** The variables conditions read: GitLab's own, or a child pipeline's (CHILD_SUBJECT_VARIABLE). */
  subjects: SubjectVariables;
}

// Keys in a job or runner table that already say when the job runs.
const RULE_KEYS = ["rules", "only", "except"];

/**
 * One GitLab job (docs/providers/gitlab.md#jobs). Keys follow
 * {@link JOB_KEY_ORDER}; the runner's `gitlab` table fills keys cig leaves
 * unset (its `image` replaces the setup tools' image), and the job's own
 * `gitlab` table is merged over everything last.
 */
export function renderJob(gl: GitlabJob, ctx: JobContext): { job: JsonMap; diagnostics: Diag[] } {
  const job = gl.job;
  const at: At = { resourceId: gl.resourceId, loc: job.loc };
  const diagnostics: Diag[] = [];
  const unknownAxes = new Set<string>();
  const bind = (s: string) => bindMatrixValues(s, job.matrix, unknownAxes);
  const runner = bindDeep(structToJson(job.runner?.providers.gitlab), bind) as JsonMap;
  const { checkout, ...table } = bindDeep(structToJson(job.passthrough.gitlab), bind) as JsonMap;
  const givenImage = table.image !== undefined || runner.image !== undefined;

  const steps = renderSteps(job, gl.resourceId, unknownAxes, ctx.subjects);
  diagnostics.push(...steps.diagnostics);
  const tools = renderSetupTools(steps.setupTools, givenImage, ctx.facts);
  for (const [tool, version] of tools.missing) diagnostics.push(toolNotInImage(tool, version, tools.image, at));

  const out: JsonMap = { stage: ctx.stages[gl.level] ?? "test" };
  // An explicit empty list: a job without needs starts at once instead of waiting for earlier stages.
  out.needs = gl.needs;
  const rules = conditionRules(job, table, runner, at, diagnostics, ctx.subjects);
  setIf(out, "rules", rules);
  setIf(out, "image", tools.image);
  setIf(out, "services", renderServices(job.services, job.matrix, unknownAxes));
  for (const s of job.services) {
    if (s.health?.command && !job.steps.some((st) => st.name === `Wait for ${s.name}`)) diagnostics.push(noHealthCheck(s.name, at));
  }
  if (job.timeoutMinutes > 0) out.timeout = `${job.timeoutMinutes} minutes`;
  if (ctx.interruptible) out.interruptible = true;

  const env = pointAtServices(Object.fromEntries(Object.entries(job.env).map(([k, v]) => [k, bind(v)])), job.services);
  const variables: Record<string, string> = { ...tools.variables, ...steps.variables, ...env };
  // cig's own `checkout = false` (as on GitHub): no clone at all.
  if (checkout === false) variables.GIT_STRATEGY = "none";
  setIf(out, "variables", renderVariables(variables, new Set(Object.keys(tools.variables))));
  setIf(out, "cache", jobCaches(job, steps.cacheSteps, tools.caches, ctx, unknownAxes, at, diagnostics));
  setIf(
    out,
    "before_script",
    tools.beforeScript.map((line, i) => withComment(i === 0 ? "cig: tool setup" : "", line)),
  );
  out.script = steps.script.length > 0 ? steps.script : [withComment("cig: GitLab requires a script; the job's steps add none", ":")];
  setIf(out, "after_script", steps.afterScript);

  const withRunner = fillRunnerDefaults(deepMerge(out, steps.jobKeys), runner);
  const merged = deepMerge(withRunner, table);
  if (unknownAxes.size > 0) diagnostics.push(unknownAxis([...unknownAxes], job.matrix, at));
  return { job: orderKeys(merged, JOB_KEY_ORDER), diagnostics };
}

// The job's `if` as rules; a table that sets rules (or only/except) says it natively and wins.
function conditionRules(
  job: JobResource,
  table: JsonMap,
  runner: JsonMap,
  at: At,
  diagnostics: Diag[],
  subjects: SubjectVariables,
): Json[] | undefined {
  if (job.condition === "") return undefined;
  const native = RULE_KEYS.some((k) => table[k] !== undefined || runner[k] !== undefined);
  const parsed = parseCondition(job.condition);
  if (!parsed.portable) {
    if (!native) diagnostics.push(nativeCondition(job.condition, parsed.reason, "job", at));
    return undefined;
  }
  const r = jobRules(parsed.condition, subjects);
  if ("unsupported" in r) {
    if (!native) diagnostics.push(unsupportedCondition(job.condition, r.unsupported, at));
    return undefined;
  }
  return r.rules.map((rule) => orderKeys(rule, RULE_KEY_ORDER));
}

/**
 * Job variables, sorted. A value with `$` in it that cig did not write gets
 * `expand: false`: GitLab expands `$VAR` in variables, GitHub and cig.toml
 * do not, so `a$b` must stay `a$b`.
 */
export function renderVariables(variables: Readonly<Record<string, string>>, expandable: ReadonlySet<string>): JsonMap {
  const out: JsonMap = {};
  for (const name of Object.keys(variables).sort(compareStrings)) {
    const value = variables[name] ?? "";
    out[name] = value.includes("$") && !expandable.has(name) ? { value, expand: false } : value;
  }
  return out;
}

function jobCaches(
  job: JobResource,
  cacheSteps: ReadonlyMap<string, readonly CacheAction_Operation[]>,
  toolCaches: JsonMap[],
  ctx: JobContext,
  unknownAxes: Set<string>,
  at: At,
  diagnostics: Diag[],
): Json[] {
  const names = [...new Set([...job.caches, ...cacheSteps.keys()])];
  const entries: Array<[string, JsonMap]> = toolCaches.map((c) => [String(isKeyMap(c.key) ? c.key.prefix : c.key), c]);
  for (const name of names) {
    const cache = ctx.caches.get(name);
    if (!cache) {
      diagnostics.push(unknownCache(name, at));
      continue;
    }
    const r = renderCache(cache, combineOperations(cacheSteps.get(name) ?? []), job.matrix, unknownAxes);
    if (r.droppedFiles.length > 0) diagnostics.push(cacheKeyFiles(name, r.droppedFiles, at));
    entries.push([name, r.entry]);
  }
  if (entries.length > MAX_CACHES)
    diagnostics.push(
      tooManyCaches(
        entries.slice(MAX_CACHES).map(([n]) => n),
        at,
      ),
    );
  return entries.slice(0, MAX_CACHES).map(([, e]) => e);
}

function isKeyMap(key: Json | undefined): key is JsonMap & { prefix: string } {
  return typeof key === "object" && key !== null && !Array.isArray(key) && typeof key.prefix === "string";
}

/**
 * A runner's `gitlab` table (`defaults`) under a job (`base`): base wins,
 * maps merge key by key — except `image`, which the runner sets outright
 * (it is a deliberate choice of machine, where the tools' image is only
 * cig's guess).
 */
export function fillRunnerDefaults(base: JsonMap, defaults: JsonMap): JsonMap {
  const out: JsonMap = { ...base };
  for (const [k, v] of Object.entries(defaults)) {
    const own = out[k];
    if (own === undefined || k === "image") out[k] = v;
    else if (typeof own === "object" && own !== null && !Array.isArray(own) && typeof v === "object" && v !== null && !Array.isArray(v)) {
      out[k] = fillRunnerDefaults(own, v);
    }
  }
  return out;
}
