import { type Json, type JsonMap, orderKeys } from "@cig/sdk";
import { CACHE_KEY_ORDER, RUN_KEY_ORDER } from "./key-order.js";
import { providerRun } from "./provider-steps.js";
import { DEFAULT_IMAGE } from "./setup-tools.js";
import { markerName, passCacheKey, SIGS_DIR, type SkipSettings, shellWord } from "./skip-settings.js";

/** The one job of a run-time config in which every variant was skipped (CircleCI rejects a workflow without jobs). */
export const NOTHING_TO_RUN_JOB = "cig-nothing-to-run";

const SIGNATURE = /^blake3:[0-9a-f]{64}$/;

/**
 * The steps that end a skippable variant that runs, recording its pass once
 * every step before them succeeded (`when: on_success`): the variant's
 * signature file, written exactly as `compute-signatures --signature-files`
 * writes it, so that the cache key's checksum is the one the bootstrap looks
 * up; the marker file the core's pass store looks for; and a `save_cache`
 * of that marker. CircleCI caches are immutable per key, so a pass recorded
 * twice is saved once. None for a signature that is not `blake3:<64 hex>`
 * (it reaches the shell and a file name, so it must be exactly that).
 */
export function recordPassSteps(id: string, signature: string, settings: SkipSettings): Json[] {
  if (!SIGNATURE.test(signature)) return [];
  const sigFile = `${SIGS_DIR}/${id}`;
  const marker = `${settings.storeDir}/${markerName(id, signature)}`;
  const record = providerRun(`Record the pass of ${id}`, [
    `mkdir -p ${SIGS_DIR} ${shellWord(settings.storeDir)}`,
    `echo ${signature} > ${sigFile}`,
    `marker=${shellWord(marker)}`,
    // Create-only, as the pass store's markers are: an existing marker is the same pass.
    `[ -e "$marker" ] || cp ${sigFile} "$marker"`,
  ]);
  const save = { name: `Save the pass of ${id}`, key: passCacheKey(id), paths: [marker], when: "on_success" };
  return [
    { run: orderKeys({ ...(record.run as JsonMap), when: "on_success" }, RUN_KEY_ORDER) },
    { save_cache: orderKeys(save, CACHE_KEY_ORDER) },
  ];
}

/** A job that only says so: the run-time config when no variant runs. */
export function nothingToRunJob(settings: SkipSettings): JsonMap {
  const job: JsonMap = { docker: [{ image: DEFAULT_IMAGE }] };
  if (settings.resourceClass !== undefined) job.resource_class = settings.resourceClass;
  job.steps = [providerRun("Nothing to run", [`echo "nothing to run: every job's inputs are unchanged"`])];
  return job;
}
