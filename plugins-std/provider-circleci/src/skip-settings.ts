import type { CigSchema } from "@cig/proto";
import { type JsonMap, signatureSettings } from "@cig/sdk";

/** Where `cig compute-signatures --signature-files` writes `<id>` = `<signature>\n`: the files cache keys checksum. */
export const SIGS_DIR = ".cig/sigs";
/** The run-time config the bootstrap renders and continues with. */
export const CONTINUE_PATH = ".cig/continue.yml";
/** The one job of the setup config. */
export const BOOTSTRAP_JOB = "cig-signatures";
/** The pipeline parameter that forces jobs to run, like the force variable (empty: not given). */
export const FORCE_PARAMETER = "cig-force";

/**
 * The `parameters:` block declaring {@link FORCE_PARAMETER}. Both the setup
 * config and the run-time config it continues with declare it, identically:
 * CircleCI rejects a continuation whose config does not declare every
 * pipeline parameter the setup config declares ("Config continuation
 * constraints" of its dynamic config docs).
 */
export function forceParameters(settings: SkipSettings): JsonMap {
  return {
    [FORCE_PARAMETER]: {
      type: "string",
      default: "",
      description: `Run jobs whatever their signatures: 1, true or all for every job, or a comma list of job ids (as ${settings.forceEnv})`,
    },
  };
}

/** The [signatures] settings the skip machinery uses. */
export interface SkipSettings {
  /** Runs cig on the CI machine: `<command> compute-signatures …`. */
  command: string;
  /** The local pass store, relative to the checkout (or absolute), without a trailing slash. */
  storeDir: string;
  /** The variable that forces jobs to run (a shell name: the config schema says so). */
  forceEnv: string;
  /** `resource_class` of the default runner's circleci table, when it runs on the docker executor. */
  resourceClass: string | undefined;
}

/** The settings of `schema`, the core's defaults where it has none. */
export function skipSettings(schema: CigSchema | undefined): SkipSettings {
  const sig = signatureSettings(schema);
  const runner = schema?.runners.find((r) => r.name !== "" && r.name === schema.project?.defaultRunner);
  const table = (runner?.providers.circleci ?? {}) as JsonMap;
  // A runner that picks machine, macos or a named executor may not offer that class to docker jobs.
  const docker = !["machine", "macos", "executor"].some((k) => table[k] !== undefined);
  const cls = table.resource_class;
  return {
    ...sig,
    resourceClass: docker && typeof cls === "string" && cls !== "" && !cls.includes("{{") ? cls : undefined,
  };
}

/** The cache key of variant `id`'s pass: CircleCI checksums the signature file, so the static bootstrap and the run-time job agree on it. */
export function passCacheKey(id: string): string {
  return `cig-pass-v1-${id}-{{ checksum "${SIGS_DIR}/${id}" }}`;
}

/**
 * The marker of a pass of `id` with `signature` ("blake3:<hex>"), as the
 * core's pass store names it (ids are [A-Za-z0-9._-], so never encoded).
 */
export function markerName(id: string, signature: string): string {
  return `cig-pass-v1-${id}-${signature.replace(/^blake3:/, "")}`;
}

/** `text` as one shell word: as it is when that is safe, else single-quoted. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9._/=:@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
