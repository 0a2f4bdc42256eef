import { create } from "@bufbuild/protobuf";
import { type Diagnostic, Diagnostic_Level, DiagnosticSchema, type SourceLocation } from "@cig/proto";

/**
 * Every diagnostic code the cig.toml loader reports, with what it means.
 * docs/cig-toml.md ("Diagnostics") lists the same codes; a test keeps the two
 * in step.
 */
export const CONFIG_CODES = {
  /** The file is not valid TOML. */
  CIG_CONFIG_SYNTAX: "not valid TOML",
  /** `version` is missing, not a string, or a version this cig does not read. */
  CIG_CONFIG_VERSION: "missing or unsupported format version",
  /** A key the format does not have (with a did-you-mean when one is close). */
  CIG_CONFIG_UNKNOWN_KEY: "unknown key",
  /** A required key is absent, e.g. `path` in [[outputs]]. */
  CIG_CONFIG_MISSING_KEY: "required key missing",
  /** A value of the wrong type: a string where a number belongs, a float where a string belongs. */
  CIG_CONFIG_TYPE: "value of the wrong type",
  /** A value of the right type that is not allowed: out of range, empty, not one of a set. */
  CIG_CONFIG_VALUE: "value not allowed",
  /** A job id that is not a letter or _ followed by letters, digits, _ or -. */
  CIG_CONFIG_BAD_JOB_ID: "invalid job id",
  /** A runner, cache, service, variable, env, plugin or matrix axis name that is not valid. */
  CIG_CONFIG_BAD_NAME: "invalid name",
  /** A step without exactly one of `run` and `uses`, or with keys of the other kind. */
  CIG_CONFIG_STEP_ACTION: "step needs exactly one of run or uses",
  /** `needs` names a job that does not exist. */
  CIG_CONFIG_UNKNOWN_NEEDS: "needs names no job",
  /** `runner` or project.default_runner names no [runners.<name>] table. */
  CIG_CONFIG_UNKNOWN_RUNNER: "unknown runner",
  /** A job runs on a runner that has no table for a provider cig.toml renders. */
  CIG_CONFIG_RUNNER_NO_PROVIDER: "runner has no table for a rendered provider",
  /** A job's `caches` names no [caches.<name>] table. */
  CIG_CONFIG_UNKNOWN_CACHE: "unknown cache",
  /** A matrix `exclude` entry names an axis the matrix does not have. */
  CIG_CONFIG_UNKNOWN_AXIS: "unknown matrix axis",
  /** The same value twice where it must be unique: step ids, list entries, output paths. */
  CIG_CONFIG_DUPLICATE: "duplicate",
  /** Warning: a job with neither steps nor packages does nothing. */
  CIG_CONFIG_EMPTY_JOB: "job does nothing",
} as const;

/**
 * Codes of the check of `uses` steps against module manifests (docs/registry.md#moduletoml):
 * cig.toml problems found after loading, once the modules' manifests are known.
 */
export type ModuleInputCode = "CIG_MODULE_INPUT_UNKNOWN" | "CIG_MODULE_INPUT_TYPE" | "CIG_MODULE_INPUT_MISSING";

/** A `CIG_CONFIG_…` diagnostic code. */
export type ConfigCode = keyof typeof CONFIG_CODES;

/** What one problem says; see {@link configDiagnostic}. */
export interface ConfigProblem {
  /** A loader code, or one of the pipeline's checks of cig.toml against module manifests. */
  code: ConfigCode | ModuleInputCode;
  /** One line, no trailing period, specific: `job "deploy" needs "buld", which is not a job`. */
  title: string;
  /** More context when there is any; defaults to the title. */
  message?: string;
  /** What to do about it. */
  hint: string;
  loc?: SourceLocation | undefined;
  /** Warnings do not fail the run. */
  warning?: boolean;
}

/**
 * Builds the protocol's Diagnostic for a config problem, so that the CLI
 * renders the loader's problems exactly like those plugins report.
 */
export function configDiagnostic(problem: ConfigProblem): Diagnostic {
  return create(DiagnosticSchema, {
    level: problem.warning ? Diagnostic_Level.WARNING : Diagnostic_Level.ERROR,
    code: problem.code,
    title: problem.title,
    message: problem.message ?? problem.title,
    fixHint: problem.hint,
    ...(problem.loc ? { loc: problem.loc } : {}),
  });
}

/** True when the diagnostic fails the run. */
export function isError(d: Diagnostic): boolean {
  return d.level === Diagnostic_Level.ERROR || d.level === Diagnostic_Level.UNSPECIFIED;
}

/** File order (line, column), then code and title: the same order on every run. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (
    byText(a.loc?.path ?? "", b.loc?.path ?? "") ||
    (a.loc?.line ?? 0) - (b.loc?.line ?? 0) ||
    (a.loc?.column ?? 0) - (b.loc?.column ?? 0) ||
    byText(a.code, b.code) ||
    byText(a.title, b.title)
  );
}
