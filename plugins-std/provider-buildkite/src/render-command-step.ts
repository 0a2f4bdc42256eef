import type { Cache, CigSchema, JobResource } from "@cig/proto";
import {
  bindMatrixValues,
  type Diag,
  deepMerge,
  errorDiag,
  fillDefaults,
  isJsonMap,
  type Json,
  type JsonMap,
  orderKeys,
  setIf,
  sortedStrings,
  structToJson,
} from "@cig/sdk";
import { cachePlugins, isFilePart } from "./cache-plugins.js";
import { escapeDollarsDeep } from "./escape-dollars.js";
import { translateJobCondition } from "./job-condition.js";
import { EPILOGUE, PRELUDE } from "./job-script.js";
import { DOCKER_KEY_ORDER, STEP_KEY_ORDER } from "./key-order.js";
import { PLUGIN_VERSIONS, pluginName } from "./plugin-versions.js";
import { renderJobSteps } from "./render-job-steps.js";
import { servicesEntry } from "./service-script.js";
import { type At, cacheGlob, ignoredServiceKey, severalImages, toolsOnHost, unknownCache } from "./step-diagnostics.js";

/** What every job of one request shares. */
export interface JobContext {
  schema: CigSchema | undefined;
  caches: ReadonlyMap<string, Cache>;
  /** Buildkite step key of every variant, by resource id ("job:test-ruby3.2"). */
  keys: ReadonlyMap<string, string>;
  /** Matrix axis names in cig.toml order, by cig job id. */
  axisOrder: ReadonlyMap<string, readonly string[]>;
}

/** One JOB resource: a variant of a cig.toml job. */
export interface Variant {
  resourceId: string;
  job: JobResource;
  /** Run-time rendering of a skippable variant: how it records its pass (record-pass-entry.ts). */
  record?: PassRecord;
}

/** What recording a pass adds to a command step. */
export interface PassRecord {
  /** The job-script entry, placed just before the epilogue. */
  entry: string;
  /** An absolute store dir, mounted at the same path into cig's tool image so the record lands on the agent. */
  mount?: string;
}

/**
 * One variant as one Buildkite command step. cig's own keys come first
 * (label, key, depends_on, if, …, commands); the runner's buildkite table
 * fills in keys cig leaves unset (agents, …); the job's and its steps'
 * buildkite tables are merged last and win. `plugins` lists are joined, not
 * replaced: runner's, cig's (cache, docker), the job's, the steps'.
 */
export function renderCommandStep(v: Variant, ctx: JobContext): { step: JsonMap; diagnostics: Diag[] } {
  const { job } = v;
  const at: At = { resourceId: v.resourceId, loc: job.loc };
  const diagnostics: Diag[] = [];
  const unknownAxes = new Set<string>();
  const bind = (text: string) => bindMatrixValues(text, job.matrix, unknownAxes);

  const runnerTable = structToJson(job.runner?.providers.buildkite);
  const jobTable = structToJson(job.passthrough.buildkite);
  const { plugins: runnerPlugins, ...runnerRest } = runnerTable;
  const { plugins: jobPlugins, ...jobRest } = jobTable;

  const out: JsonMap = { label: label(job, ctx.axisOrder.get(job.jobId) ?? []), key: ctx.keys.get(v.resourceId) ?? "" };
  const needs: Json[] = [];
  for (const need of job.needs) {
    const key = ctx.keys.get(need);
    if (key === undefined) diagnostics.push(unknownNeed(v, need));
    else if (!needs.includes(key)) needs.push(key);
  }
  setIf(out, "depends_on", needs);
  if (typeof jobRest.if !== "string") {
    const cond = translateJobCondition(bind(job.condition), at, diagnostics);
    setIf(out, "if", cond.if);
    setIf(out, "allow_dependency_failure", cond.allowDependencyFailure);
  }
  setIf(out, "timeout_in_minutes", job.timeoutMinutes);
  setIf(out, "env", sortedStrings(Object.fromEntries(Object.entries(job.env).map(([k, val]) => [k, bind(val)]))));

  const steps = renderJobSteps(job.steps, { caches: ctx.caches, bind, at });
  diagnostics.push(...steps.diagnostics);
  const stepPlugins = steps.stepTables.flatMap((t) => pluginList(t.plugins));

  // Caches: the job's `caches`, then those its steps use, each once.
  const uses = new Map<string, { restore: boolean; save: boolean }>();
  for (const name of job.caches) {
    if (ctx.caches.has(name)) uses.set(name, { restore: true, save: true });
    else diagnostics.push(unknownCache(name, at));
  }
  for (const [name, use] of steps.caches) {
    const prev = uses.get(name);
    uses.set(name, prev ? { restore: prev.restore || use.restore, save: prev.save || use.save } : use);
  }
  const plugins: JsonMap[] = [];
  for (const [name, use] of uses) {
    const cache = ctx.caches.get(name) as Cache;
    for (const part of cache.keyParts.filter((p) => isFilePart(p) && p.includes("*"))) diagnostics.push(cacheGlob(name, part, at));
    plugins.push(...cachePlugins(cache, use, bind));
  }

  // The tool image: unless an image is pinned, or services need the host (see service-script.ts).
  const pinned = [runnerPlugins, jobPlugins, ...steps.stepTables.map((t) => t.plugins)]
    .flatMap(pluginList)
    .some((p) => Object.keys(p).some((ref) => ["docker", "docker-compose"].includes(pluginName(ref))));
  const imagePinned = pinned || "image" in runnerRest || "image" in jobRest;
  const image = steps.images[0];
  if (image && !imagePinned) {
    if (job.services.length > 0) diagnostics.push(toolsOnHost(steps.images, at));
    else {
      if (steps.images.length > 1) diagnostics.push(severalImages(image, steps.images.slice(1), at));
      const docker: JsonMap = { image, "propagate-environment": true };
      if (v.record?.mount) docker.volumes = [`${v.record.mount}:${v.record.mount}`];
      plugins.push({ [PLUGIN_VERSIONS.docker]: orderKeys(docker, DOCKER_KEY_ORDER) });
    }
  }
  setIf(out, "plugins", plugins);

  const entries = [PRELUDE];
  if (job.services.length > 0) {
    const bound = job.services.map((svc) => ({
      ...svc,
      image: bind(svc.image),
      env: Object.fromEntries(Object.entries(svc.env).map(([k, val]) => [k, bind(val)])),
      ports: svc.ports.map(bind),
    }));
    entries.push(servicesEntry(bound, serviceOptions(job, at, diagnostics)));
  }
  entries.push(...steps.entries);
  if (v.record) entries.push(v.record.entry);
  entries.push(EPILOGUE);
  out.commands = entries;

  if (unknownAxes.size > 0) diagnostics.push(unknownAxis([...unknownAxes], job, at));
  // cig's strings are escaped for upload-time interpolation; provider tables are Buildkite syntax already.
  let step = escapeDollarsDeep(out) as JsonMap;
  step = fillDefaults(step, runnerRest);
  for (const table of [jobRest, ...steps.stepTables]) {
    const { plugins: _ignored, ...keys } = table;
    step = deepMerge(step, keys);
  }
  const allPlugins = [
    ...pluginList(runnerPlugins),
    ...((step.plugins as JsonMap[] | undefined) ?? []),
    ...pluginList(jobPlugins),
    ...stepPlugins,
  ];
  delete step.plugins;
  setIf(step, "plugins", allPlugins);
  return { step: orderKeys(step, STEP_KEY_ORDER), diagnostics };
}

// "test" or, for a matrix variant, "test (ruby=3.2, os=ubuntu-22.04)": axes in cig.toml order.
function label(job: JobResource, declared: readonly string[]): string {
  const axes = Object.keys(job.matrix);
  if (axes.length === 0) return job.jobId;
  const rank = (a: string) => (declared.includes(a) ? declared.indexOf(a) : declared.length);
  axes.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return `${job.jobId} (${axes.map((a) => `${a}=${labelValue(job.matrix[a] ?? "")}`).join(", ")})`;
}

// A matrix value as written in a label: bare when unambiguous, else JSON-quoted (test/parse-buildkite.ts reads both).
function labelValue(value: string): string {
  return /^[^,=()"\s][^,=()"]*$/.test(value) && !/\s$/.test(value) ? value : JSON.stringify(value);
}

function pluginList(value: Json | undefined): JsonMap[] {
  if (Array.isArray(value)) return value.map((p) => (isJsonMap(p) ? p : typeof p === "string" ? { [p]: null } : {}));
  return isJsonMap(value) ? Object.entries(value).map(([k, v]) => ({ [k]: v })) : [];
}

function serviceOptions(job: JobResource, at: At, diagnostics: Diag[]): Map<string, string> {
  const options = new Map<string, string>();
  for (const s of job.services) {
    const table = structToJson(s.passthrough.buildkite);
    for (const key of Object.keys(table)) {
      if (key === "options" && typeof table.options === "string") options.set(s.name, table.options);
      else diagnostics.push(ignoredServiceKey(s.name, key, at));
    }
  }
  return options;
}

function unknownNeed(v: Variant, need: string): Diag {
  return errorDiag(
    "PROVIDER_BUILDKITE_UNKNOWN_NEED",
    `${v.resourceId} needs ${need}, which is not in the graph`,
    `The job ${v.resourceId} lists ${need} in needs, but the graph handed to provider/buildkite has no such job resource.`,
    "This is a cig core bug when cig.toml is valid: report it with the output of `cig explain job`.",
    { resourceId: v.resourceId, loc: v.job.loc },
  );
}

function unknownAxis(axes: string[], job: JobResource, at: At): Diag {
  return errorDiag(
    "PROVIDER_BUILDKITE_UNKNOWN_MATRIX_AXIS",
    `Job ${job.jobId} refers to matrix axes it does not have: ${axes.join(", ")}`,
    `{{ matrix.${axes[0]} }} appears in the job, but its matrix has ${Object.keys(job.matrix).length > 0 ? `only ${Object.keys(job.matrix).sort().join(", ")}` : "no axes"}; the placeholder was left as written.`,
    "Fix the axis name, or add the axis to the job's matrix in cig.toml.",
    at,
  );
}
