import type { CigSchema } from "@cig/proto";
import { type Diag, errorDiag, type JsonMap, SIGNATURE_DEFAULTS, signatureSettings, structToJson } from "@cig/sdk";
import type { GitlabJob } from "./plan-gitlab-jobs.js";

/** The parent pipeline's job that computes signatures and renders the child pipeline. */
export const SIGNATURES_JOB = "cig-signatures";
/** The parent pipeline's trigger job that runs the child pipeline. */
export const PIPELINE_JOB = "cig-pipeline";
/** The child pipeline's last job: adds the passes of the jobs that succeeded to the cache. */
export const RECORD_JOB = "cig-record";
/** The child pipeline's only job when every job is skipped (GitLab rejects a pipeline without jobs). */
export const NOTHING_JOB = "cig-nothing-to-run";
/** Job names the skip machinery takes; a cig.toml job that maps to one turns the machinery off. */
export const MACHINERY_JOBS: readonly string[] = [SIGNATURES_JOB, PIPELINE_JOB, RECORD_JOB, NOTHING_JOB];
/**
 * The run-time pipeline, an artifact of {@link SIGNATURES_JOB}. Under
 * `.cig/`, which signatures never hash: the shell creates the file before
 * the command that fills it computes them.
 */
export const CHILD_FILE = ".cig/cig-child.yml";
/** The GitLab cache holding every recorded pass marker. */
export const PASS_CACHE_KEY = "cig-passes";
/** The variable the child pipeline reads the parent's `$CI_PIPELINE_SOURCE` from. */
export const SOURCE_VARIABLE = "CIG_PIPELINE_SOURCE";

/** What the machinery's own jobs need from cig.toml. */
export interface SkipSettings {
  /** `[signatures] command`: how CI runs cig. */
  command: string;
  /** `[signatures] store_dir`, repository-relative, without `./` or a trailing slash. */
  storeDir: string;
  /** The project default runner's `gitlab` table (tags, image, …), or {} when it has none. */
  runner: JsonMap;
  /** [concurrency] cancel_in_progress: the machinery's jobs are interruptible too. */
  interruptible: boolean;
}

/**
 * The machinery's settings, or diagnostics saying why there is no
 * machinery (every job then runs, in the one pipeline): a store directory
 * GitLab cannot cache (cache and artifact paths must lie inside the
 * project directory), or a cig.toml job whose GitLab name is one the
 * machinery uses.
 */
export function skipSettings(
  schema: CigSchema | undefined,
  jobs: readonly GitlabJob[],
  interruptible: boolean,
): { settings?: SkipSettings; diagnostics: Diag[] } {
  const clashes = jobs.filter((gl) => MACHINERY_JOBS.includes(gl.name));
  if (clashes.length > 0) return { diagnostics: clashes.map(reservedName) };
  const sig = schema?.signatures;
  const given = sig?.storeDir || SIGNATURE_DEFAULTS.storeDir;
  const storeDir = given.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  if (storeDir === "" || storeDir === "." || given.startsWith("/") || storeDir.split("/").includes("..")) {
    return { diagnostics: [outsideStoreDir(given)] };
  }
  const runner = schema?.runners.find((r) => r.name !== "" && r.name === schema.project?.defaultRunner);
  const table = structToJson(runner?.providers.gitlab);
  // A table that names matrix axes cannot serve jobs without a matrix.
  const usable = !JSON.stringify(table).includes("{{");
  return {
    settings: { command: signatureSettings(schema).command, storeDir, runner: usable ? table : {}, interruptible },
    diagnostics: [],
  };
}

function reservedName(gl: GitlabJob): Diag {
  return errorDiag(
    "PROVIDER_GITLAB_RESERVED_JOB_NAME",
    `GitLab job name ${gl.name} is reserved for the skip machinery`,
    `provider/gitlab adds the jobs ${MACHINERY_JOBS.join(", ")} to skip unchanged jobs, and ${gl.resourceId} maps to ${gl.name}; the pipeline was rendered without skipping, so every job runs.`,
    `Rename [jobs.${gl.job.jobId || gl.name}] in cig.toml.`,
    { resourceId: gl.resourceId, loc: gl.job.loc },
  );
}

function outsideStoreDir(dir: string): Diag {
  return errorDiag(
    "PROVIDER_GITLAB_STORE_DIR",
    `[signatures] store_dir ${dir} is not inside the repository`,
    "GitLab caches and uploads as artifacts only paths inside the project directory, so recorded passes could not be kept; the pipeline was rendered without skipping, so every job runs.",
    'Set [signatures] store_dir to a relative path inside the repository, or leave it out (".cig/passes").',
  );
}
