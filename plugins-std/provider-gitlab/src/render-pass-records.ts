import { isJsonMap, type Json, type JsonMap, orderKeys } from "@cig/sdk";
import { withComment } from "./gitlab-yaml.js";
import { JOB_KEY_ORDER } from "./key-order.js";
import { passCache, storeDirWord } from "./render-bootstrap.js";
import { fillRunnerDefaults } from "./render-job.js";
import type { SkipSettings } from "./skip-settings.js";

/** GitLab's limit on a job's `needs` (GitLab.com; self-managed instances default to it too). */
export const MAX_NEEDS = 50;

/**
 * The pass marker of a variant: `cig-pass-v1-<variant>-<64 hex>`, the
 * variant id with every byte outside [A-Za-z0-9._-] percent-encoded — the
 * name the core's local store looks for (docs/work-signatures.md).
 */
export function markerName(variantId: string, signature: string): string {
  const encoded = encodeURIComponent(variantId).replace(/[!~*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `cig-pass-v1-${encoded}-${signature.replace(/^blake3:/, "")}`;
}

/**
 * A rendered job that records its pass: the last `script` line writes the
 * marker (it runs only when every earlier line succeeded) and `artifacts`
 * uploads it (on success only, unless the job's own table says otherwise),
 * for `cig-record` to add to the cache. A job whose table made it a trigger
 * job has no script and is left as it is.
 */
export function recordPass(job: JsonMap, variantId: string, signature: string, s: SkipSettings): JsonMap {
  if (job.trigger !== undefined) return job;
  const marker = markerName(variantId, signature);
  const dir = storeDirWord(s);
  const line = `mkdir -p ${dir} && echo ${signature} > ${dir}/${marker}`;
  const script = job.script === undefined ? [] : Array.isArray(job.script) ? job.script : [job.script];
  const out: JsonMap = { ...job, script: [...script, withComment(`cig: record the pass of ${variantId} (work signature)`, line)] };
  const path = `${s.storeDir}/${marker}`;
  const artifacts = isJsonMap(job.artifacts) ? job.artifacts : {};
  const paths = Array.isArray(artifacts.paths) ? artifacts.paths : [];
  out.artifacts = { ...artifacts, paths: [...paths, path] };
  return orderKeys(out, JOB_KEY_ORDER);
}

/**
 * `cig-record`, the child pipeline's last job (stage `.post`, `when:
 * always`, so the passes of the jobs that succeeded are kept even when
 * another failed): it restores the pass cache, receives the markers of the
 * jobs it needs as their artifacts (optional: a job its rules left out is
 * fine) in the same directory, and saves the union back. Past GitLab's
 * limit on `needs` it needs nothing and takes the artifacts of every
 * earlier job, which `.post` waits for anyway.
 */
export function renderRecordJob(recorded: readonly string[], s: SkipSettings): JsonMap {
  const job: JsonMap = { stage: ".post" };
  if (recorded.length <= MAX_NEEDS) job.needs = recorded.map((name): Json => ({ job: name, artifacts: true, optional: true }));
  if (s.interruptible) job.interruptible = true;
  // Markers arrive as artifacts and from the cache: the repository itself is not needed.
  job.variables = { GIT_STRATEGY: "none" };
  job.cache = passCache(s, "pull-push");
  const dir = storeDirWord(s);
  job.script = [withComment("cig: every recorded pass, saved to the cache after this job", `mkdir -p ${dir} && ls -1 ${dir}`)];
  job.when = "always";
  // Only a shell is needed: the default runner's machine and image, if it names one.
  return orderKeys(fillRunnerDefaults(job, s.runner), JOB_KEY_ORDER);
}

/** The only job of a child pipeline in which every job was skipped: GitLab rejects a pipeline without jobs. */
export function renderNothingToRun(s: SkipSettings): JsonMap {
  const job: JsonMap = { stage: "cig", needs: [] };
  if (s.interruptible) job.interruptible = true;
  job.variables = { GIT_STRATEGY: "none" };
  job.script = [withComment("cig: every job was skipped", `echo "nothing to run: every job's inputs are unchanged"`)];
  return orderKeys(fillRunnerDefaults(job, s.runner), JOB_KEY_ORDER);
}
