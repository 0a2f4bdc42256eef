// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} here is GitHub expression syntax, not a JS template.
import type { Json, JsonMap } from "@cig/sdk";
import { orderKeys } from "@cig/sdk";
import { ACTION_VERSIONS } from "./action-versions.js";
import { JOB_KEY_ORDER, STEP_KEY_ORDER } from "./key-order.js";
import { DECISIONS_IN_BOOTSTRAP, decision, probeStep, runOutput, SIGS_STEP } from "./skip-expressions.js";

/** A GitHub job that may be skipped, and the entry of the decisions JSON that decides it. */
export interface SkippableJob {
  /** Its key under `jobs:`. */
  githubId: string;
  /** The cig.toml job id for a job grouped as a matrix (decided as a whole), else the variant id. */
  decisionId: string;
}

/** What the bootstrap and the aggregator share: where they run and where passes live. */
export interface MachinerySettings {
  /** `[signatures] command`: how CI runs cig. */
  command: string;
  /** `[signatures] store_dir`, without a trailing slash. */
  storeDir: string;
  /** The project default runner's `runs-on`, or ubuntu-latest. */
  runsOn: Json;
  /** `[signatures] force_env`: the variable that forces jobs to run. */
  forceEnv: string;
  /** Whether the workflow has a manual trigger with the {@link FORCE_INPUT} input. */
  forceInput: boolean;
}

/** The `workflow_dispatch` input that forces jobs to run, added to a manual trigger. */
export const FORCE_INPUT = "cig-force";

/**
 * The value of the force variable on the compute step: the manual run's
 * `cig-force` input when the workflow has one, else a repository or
 * organisation variable (`vars.<name>`, settable without editing files;
 * GitHub allows no variable named `GITHUB_…`), else the variable as
 * `[workflow] env` sets it. An empty value forces nothing, so each falls
 * through to the next.
 */
export function forceValue(settings: MachinerySettings): string {
  const name = settings.forceEnv;
  const variable = /^GITHUB_/i.test(name) ? [] : [`vars.${name}`];
  const sources = [...(settings.forceInput ? [`inputs.${FORCE_INPUT}`] : []), ...variable, `env.${name}`];
  return `\${{ ${sources.join(" || ")} }}`;
}

/** The path a job's pass marker is cached under: the same string for the probe and the save, as the cache version hashes it. */
export function storePath(settings: MachinerySettings, id: string): string {
  return `${settings.storeDir}/${id}`;
}

/**
 * The bootstrap job `cig-signatures`: computes every signature and decision
 * (`decisions` output), probes the cache of each skippable job whose decision
 * is "check" without downloading anything (`lookup-only`), and answers per
 * skippable job with the output `run-<job>`: "false" only when the decision
 * is "skip" or the probe found a recorded pass. A job missing from the JSON
 * runs: a mismatch between the generator and the command must never skip.
 */
export function renderSignaturesJob(skippable: readonly SkippableJob[], settings: MachinerySettings): JsonMap {
  const outputs: JsonMap = { decisions: `\${{ ${DECISIONS_IN_BOOTSTRAP} }}` };
  const steps: Json[] = [
    { uses: ACTION_VERSIONS.checkout },
    orderKeys(
      {
        name: "Compute work signatures",
        id: SIGS_STEP,
        env: { [settings.forceEnv]: forceValue(settings) },
        run: `${settings.command} compute-signatures --github-output`,
      },
      STEP_KEY_ORDER,
    ),
  ];
  for (const job of skippable) {
    const entry = decision(DECISIONS_IN_BOOTSTRAP, job.decisionId);
    const probe = probeStep(job.githubId);
    // The probe runs only for "check", so a cache hit implies "check".
    outputs[runOutput(job.githubId)] = `\${{ ${entry}.mode != 'skip' && steps.${probe}.outputs.cache-hit != 'true' }}`;
    steps.push(
      orderKeys(
        {
          name: `Look up a pass of ${job.decisionId}`,
          id: probe,
          if: `${entry}.mode == 'check'`,
          uses: ACTION_VERSIONS.cacheRestore,
          with: { path: storePath(settings, job.decisionId), key: `\${{ ${entry}.key }}`, "lookup-only": true },
        },
        STEP_KEY_ORDER,
      ),
    );
  }
  return orderKeys({ "runs-on": settings.runsOn, outputs, steps }, JOB_KEY_ORDER);
}
