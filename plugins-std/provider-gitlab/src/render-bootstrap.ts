import { type JsonMap, orderKeys, setIf } from "@cig/sdk";
import { shellQuote } from "./condition-shell.js";
import { withComment } from "./gitlab-yaml.js";
import { JOB_KEY_ORDER } from "./key-order.js";
import { fillRunnerDefaults } from "./render-job.js";
import { CHILD_FILE, PASS_CACHE_KEY, PIPELINE_JOB, SIGNATURES_JOB, type SkipSettings, SOURCE_VARIABLE } from "./skip-settings.js";

/** The image the signatures job runs `[signatures] command` (npx) in when the default runner names none. */
export const NODE_IMAGE = "node:lts";

/**
 * The committed pipeline when some job is skippable
 * (docs/providers/gitlab.md#skipping-unchanged-jobs): the parent's
 * `workflow` and `variables` as the full pipeline would have them, and two
 * jobs — `cig-signatures` restores the recorded passes from the cache and
 * writes the run-time pipeline (`compute-signatures --render gitlab`) as an
 * artifact, `cig-pipeline` runs it as a child pipeline whose outcome is the
 * pipeline's (`strategy: depend`).
 */
export function renderBootstrap(workflow: JsonMap, variables: JsonMap, s: SkipSettings): JsonMap {
  const pipeline: JsonMap = { workflow, stages: ["cig", "run"] };
  setIf(pipeline, "variables", variables);
  pipeline[SIGNATURES_JOB] = signaturesJob(s);
  pipeline[PIPELINE_JOB] = pipelineJob(s);
  return pipeline;
}

function signaturesJob(s: SkipSettings): JsonMap {
  const job: JsonMap = { stage: "cig", needs: [], image: NODE_IMAGE };
  if (s.interruptible) job.interruptible = true;
  // pull: the signatures only read the passes; the child's cig-record job writes them.
  job.cache = passCache(s, "pull");
  const command = `mkdir -p .cig && ${s.command} compute-signatures --render gitlab > ${CHILD_FILE}`;
  job.script = [withComment("cig: work signatures; the pipeline of the jobs that run (docs/work-signatures.md)", command)];
  job.artifacts = { paths: [CHILD_FILE] };
  return orderKeys(fillRunnerDefaults(job, s.runner), JOB_KEY_ORDER);
}

// A trigger job runs on no runner, so the default runner's table does not apply.
function pipelineJob(s: SkipSettings): JsonMap {
  const job: JsonMap = { stage: "run", needs: [SIGNATURES_JOB] };
  if (s.interruptible) job.interruptible = true;
  // The child has its own copy of the top-level variables; forwarded ones would outrank its job variables.
  job.inherit = { variables: false };
  // In a child pipeline $CI_PIPELINE_SOURCE is "parent_pipeline": its event conditions read this instead.
  job.variables = { [SOURCE_VARIABLE]: "$CI_PIPELINE_SOURCE" };
  job.trigger = {
    include: [{ artifact: CHILD_FILE, job: SIGNATURES_JOB }],
    strategy: "depend",
    // Variables of a manual run (the Run pipeline form, CIG_FORCE) reach the child's jobs too.
    forward: { pipeline_variables: true },
  };
  return job;
}

/** The one cache every pass marker lives in: `<store_dir>/`, with the given policy. */
export function passCache(s: SkipSettings, policy: "pull" | "pull-push"): JsonMap {
  return { key: PASS_CACHE_KEY, paths: [`${s.storeDir}/`], policy };
}

/** `<store_dir>` as a shell word under `$CI_PROJECT_DIR`, immune to a `cd` in earlier script lines. */
export function storeDirWord(s: SkipSettings): string {
  return `"$CI_PROJECT_DIR"/${shellQuote(s.storeDir)}`;
}
