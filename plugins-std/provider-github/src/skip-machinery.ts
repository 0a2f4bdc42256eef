import type { CigSchema } from "@cig/proto";
import { type Diag, errorDiag, isJsonMap, type Json, type JsonMap, orderKeys, signatureSettings, sortKeysDeep } from "@cig/sdk";
import { addForceInput } from "./force-input.js";
import { JOB_KEY_ORDER } from "./key-order.js";
import type { GithubJob } from "./plan-github-jobs.js";
import { DEFAULT_RUNS_ON } from "./render-job.js";
import { renderResultJob } from "./render-result-job.js";
import { type MachinerySettings, renderSignaturesJob, type SkippableJob } from "./render-signatures-job.js";
import { RESULT_JOB, robustCondition, runOutput, SIGNATURES_JOB } from "./skip-expressions.js";

/**
 * Adds the work-signature skip machinery to the rendered `jobs` when at least
 * one GitHub job is skippable (docs/providers/github.md, "Skipping unchanged
 * jobs"); otherwise returns `jobs` untouched, so workflows without skippable
 * jobs keep their bytes. The bootstrap `cig-signatures` comes first, the
 * aggregator `cig-result` last; each skippable job needs the bootstrap and is
 * gated by its verdict, and every job downstream of a skippable one gets a
 * job-level `if` that tolerates skipped needs. A manual trigger in `on`
 * gains the `cig-force` input ({@link addForceInput}).
 */
export function addSkipMachinery(
  planned: readonly GithubJob[],
  jobs: JsonMap,
  schema: CigSchema | undefined,
  on: JsonMap,
): { jobs: JsonMap; on: JsonMap; diagnostics: Diag[] } {
  const skippable = planned.filter((gh) => gh.variants.some((v) => v.job.skippable));
  if (skippable.length === 0) return { jobs, on, diagnostics: [] };
  const clashes = planned.filter((gh) => gh.id === SIGNATURES_JOB || gh.id === RESULT_JOB);
  if (clashes.length > 0) return { jobs, on, diagnostics: clashes.map(reservedId) };

  const gated = new Set(skippable.map((gh) => gh.id));
  const touched = downstreamOf(planned, gated);
  const force = addForceInput(on);
  const settings = settingsOf(schema, force.forceInput);
  const decided: SkippableJob[] = skippable.map((gh) => ({
    githubId: gh.id,
    // GitHub decides a matrix job as a whole: its `if` is evaluated before the matrix expands.
    decisionId: gh.grouped ? gh.jobId : (gh.variants[0]?.resourceId ?? gh.id).replace(/^job:/, ""),
  }));

  const out: JsonMap = { [SIGNATURES_JOB]: renderSignaturesJob(decided, settings) };
  for (const gh of planned) {
    const job = jobs[gh.id];
    if (!isJsonMap(job) || !touched.has(gh.id)) out[gh.id] = job as Json;
    else out[gh.id] = gate(job, gh.id, gated.has(gh.id));
  }
  out[RESULT_JOB] = renderResultJob(
    planned.map((gh) => gh.id),
    decided,
    settings,
  );
  return { jobs: out, on: force.on, diagnostics: [] };
}

// The job's `needs` and `if` after the machinery: the rendered job's own (passthrough included) are kept.
function gate(job: JsonMap, id: string, skippable: boolean): JsonMap {
  const needs = ([] as Json[]).concat(job.needs ?? []);
  if (skippable && !needs.includes(SIGNATURES_JOB)) needs.push(SIGNATURES_JOB);
  const own = job.if === undefined || job.if === null ? "" : String(job.if);
  const verdict = skippable ? `needs.${SIGNATURES_JOB}.outputs.${runOutput(id)} == 'true'` : undefined;
  const gatedJob: JsonMap = { ...job, if: robustCondition(own, verdict) };
  if (needs.length > 0) gatedJob.needs = needs;
  return orderKeys(gatedJob, JOB_KEY_ORDER);
}

/** The skippable jobs and every job that needs one of them, directly or not. */
function downstreamOf(planned: readonly GithubJob[], gated: ReadonlySet<string>): Set<string> {
  const touched = new Set(gated);
  // The graph is in topological order, so this settles in one pass; the loop only guards against a plan that is not.
  for (let grew = true; grew; ) {
    grew = false;
    for (const gh of planned) {
      if (!touched.has(gh.id) && gh.needs.some((n) => touched.has(n))) {
        touched.add(gh.id);
        grew = true;
      }
    }
  }
  return touched;
}

function settingsOf(schema: CigSchema | undefined, forceInput: boolean): MachinerySettings {
  const { command, forceEnv, storeDir } = signatureSettings(schema);
  const runner = schema?.runners.find((r) => r.name === schema.project?.defaultRunner && r.name !== "");
  const runsOn = runner?.providers.github?.["runs-on"] as Json | undefined;
  // A runs-on that names matrix axes cannot serve jobs without a matrix.
  const usable = runsOn !== undefined && runsOn !== null && runsOn !== "" && !JSON.stringify(runsOn).includes("{{");
  return {
    command,
    storeDir,
    runsOn: usable ? sortKeysDeep(runsOn) : DEFAULT_RUNS_ON,
    forceEnv,
    forceInput,
  };
}

function reservedId(gh: GithubJob): Diag {
  const v = gh.variants[0];
  return errorDiag(
    "PROVIDER_GITHUB_RESERVED_JOB_ID",
    `GitHub job id ${gh.id} is reserved for the skip machinery`,
    `provider/github adds the jobs ${SIGNATURES_JOB} and ${RESULT_JOB} to skip unchanged jobs, and ${v?.resourceId ?? gh.jobId} maps to ${gh.id}; the workflow was rendered without skipping, so every job runs.`,
    `Rename [jobs.${gh.jobId}] in cig.toml.`,
    v ? { resourceId: v.resourceId, loc: v.job.loc } : {},
  );
}
