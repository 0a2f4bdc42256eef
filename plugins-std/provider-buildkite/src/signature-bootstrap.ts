import { type JsonMap, orderKeys, setIf } from "@cig/sdk";
import { PROVIDER_MARK } from "./job-script.js";
import { STEP_KEY_ORDER } from "./key-order.js";
import type { SignatureSettings } from "./signature-settings.js";

/** The bootstrap step's key; a variant whose step key is the same cannot be rendered with the machinery. */
export const BOOTSTRAP_KEY = "cig-signatures";

/** Where the bootstrap writes the run-time pipeline before uploading it (`.cig/` is never a signature input). */
export const RUNTIME_PIPELINE = ".cig/pipeline.yml";

/** First line of the bootstrap's script (test/parse-buildkite.ts recognises the bootstrap by it). */
export const BOOTSTRAP_TITLE = `${PROVIDER_MARK}compute the work signatures and upload the steps that run (docs/providers/buildkite.md)`;

/** First line of the step a run-time pipeline holds when every variant is skipped. */
export const NOTHING_TO_RUN_TITLE = `${PROVIDER_MARK}nothing to run (docs/providers/buildkite.md)`;

/**
 * The one step of the committed pipeline when a job is skippable: on the
 * default runner's agents, it renders the pipeline of the variants that run
 * (`compute-signatures --render buildkite`, which reads the pass store) and
 * uploads it into this build. The file is written first and uploaded after,
 * under `set -e`, so a failing computation fails the step instead of
 * uploading an empty or partial pipeline. The caller escapes `$`: this step
 * is interpolated at upload too.
 */
export function bootstrapStep(settings: SignatureSettings): JsonMap {
  const step: JsonMap = { label: ":hash: cig signatures", key: BOOTSTRAP_KEY };
  setIf(step, "agents", settings.agents);
  step.commands = [
    [
      BOOTSTRAP_TITLE,
      "set -e",
      `mkdir -p ${RUNTIME_PIPELINE.slice(0, RUNTIME_PIPELINE.lastIndexOf("/"))}`,
      `${settings.command} compute-signatures --render buildkite > ${RUNTIME_PIPELINE}`,
      `buildkite-agent pipeline upload ${RUNTIME_PIPELINE}`,
    ].join("\n"),
  ];
  return orderKeys(step, STEP_KEY_ORDER);
}

/**
 * The run-time pipeline's only step when every variant is skipped: Buildkite
 * rejects a pipeline without steps, and the build log should say why nothing
 * ran rather than show an empty build.
 */
export function nothingToRunStep(settings: SignatureSettings): JsonMap {
  const step: JsonMap = { label: ":white_check_mark: nothing to run" };
  setIf(step, "agents", settings.agents);
  step.commands = [
    [NOTHING_TO_RUN_TITLE, `echo "cig: nothing to run: every job's inputs are unchanged since its last pass, or a skip_if matched"`].join(
      "\n",
    ),
  ];
  return orderKeys(step, STEP_KEY_ORDER);
}
