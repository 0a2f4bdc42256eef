// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} here is GitHub expression syntax, not a JS template.
import type { Json, JsonMap } from "@cig/sdk";
import { orderKeys } from "@cig/sdk";
import { ACTION_VERSIONS } from "./action-versions.js";
import { JOB_KEY_ORDER, STEP_KEY_ORDER } from "./key-order.js";
import { type MachinerySettings, type SkippableJob, storePath } from "./render-signatures-job.js";
import { DECISIONS_IN_NEEDS, decision, SIGNATURES_JOB } from "./skip-expressions.js";

const FAILED = "contains(needs.*.result, 'failure') || contains(needs.*.result, 'cancelled')";

/**
 * The aggregator `cig-result`: needs the bootstrap and every job and always
 * runs, so that it is the one check branch protection requires (a job
 * skipped by `if:` counts as passed there; a failed one does not). For each
 * skippable job that actually ran and passed (`result == 'success'`; a
 * skipped job's result is `skipped`) it writes the pass marker and saves it
 * to the cache under the decision's key. Its last step fails, naming the
 * jobs, when any need failed or was cancelled.
 */
export function renderResultJob(githubIds: readonly string[], skippable: readonly SkippableJob[], settings: MachinerySettings): JsonMap {
  const needs = [SIGNATURES_JOB, ...githubIds];
  const steps: Json[] = [];
  for (const job of skippable) {
    const entry = decision(DECISIONS_IN_NEEDS, job.decisionId);
    const passed = `needs.${job.githubId}.result == 'success'`;
    const path = storePath(settings, job.decisionId);
    steps.push(
      orderKeys(
        {
          name: `Record a pass of ${job.decisionId}`,
          if: passed,
          // Values reach the shell as environment variables, never spliced into the script.
          env: { CIG_KEY: `\${{ ${entry}.key }}`, CIG_SIGNATURE: `\${{ ${entry}.signature }}`, CIG_STORE: path },
          run: 'mkdir -p "$CIG_STORE" && echo "$CIG_SIGNATURE" > "$CIG_STORE/$CIG_KEY"',
        },
        STEP_KEY_ORDER,
      ),
      orderKeys(
        {
          name: `Save the pass of ${job.decisionId}`,
          if: passed,
          uses: ACTION_VERSIONS.cacheSave,
          with: { path, key: `\${{ ${entry}.key }}` },
        },
        STEP_KEY_ORDER,
      ),
    );
  }
  // Job ids are [A-Za-z0-9_-] and results one of four words: safe in the script as they are.
  const script = [
    'failed=""',
    'check() { case "$2" in failure | cancelled) failed="$failed $1" ;; esac; }',
    ...needs.map((id) => `check ${id} "\${{ needs.${id}.result }}"`),
    'echo "::error::Failed or cancelled:$failed"',
    "exit 1",
  ].join("\n");
  steps.push(orderKeys({ name: "Fail if a job failed or was cancelled", if: FAILED, run: script }, STEP_KEY_ORDER));
  return orderKeys(
    // bash on every runner (GitHub's Windows default is pwsh): the steps are POSIX shell.
    { needs, if: "always()", "runs-on": settings.runsOn, defaults: { run: { shell: "bash" } }, steps },
    JOB_KEY_ORDER,
  );
}
