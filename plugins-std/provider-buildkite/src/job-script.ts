import { compareStrings } from "@cig/sdk";
import { shellQuote } from "./translate-condition.js";

// The job script: one Buildkite command step runs all steps of a cig job, so
// the step semantics other platforms get from their runners (each step in a
// fresh shell, stop at the first failure, `if: always()` / `failure()` steps
// still run, continue_on_error) are written out in POSIX sh. The agent joins
// `commands` with newlines into one script; each entry is one of:
//
//   # cig: job script (docs/providers/buildkite.md)   <- PRELUDE, first
//   set +e
//   cig_failed=0
//
//   # <step name>                                     <- one per step
//   if <guard>; then (
//   set -e[; cd -- <dir>][; export K=v …]
//   <the step's command, verbatim, at column 0>
//   ); [ $? = 0 ] || cig_failed=1; fi
//
//   # cig: exit with the job's status                 <- EPILOGUE, last
//   exit "$cig_failed"
//
// Steps the provider adds itself (tool setup, foreign steps) use the same
// wrapper with a first line starting "# cig: ". test/parse-buildkite.ts
// relies on exactly this shape.

/** First line of every entry the provider adds itself. */
export const PROVIDER_MARK = "# cig: ";

/** The first entry: the script tracks failures itself instead of dying at the first one. */
export const PRELUDE = `${PROVIDER_MARK}job script (docs/providers/buildkite.md)\nset +e\ncig_failed=0`;

/** The last entry: the job fails when a step that counts failed. */
export const EPILOGUE = `${PROVIDER_MARK}exit with the job's status\nexit "$cig_failed"`;

/** Guard of a step without a condition: it runs while no earlier step failed. */
export const SUCCESS_GUARD = '[ "$cig_failed" = 0 ]';

/** One step of the job script. */
export interface ScriptStep {
  /** The comment line's text: the step name, or "cig: …" for a provider-added step. */
  title: string;
  /** A shell test: when the step runs. */
  guard: string;
  workingDirectory: string;
  env: Readonly<Record<string, string>>;
  /** A failure is reported but does not fail the job. */
  continueOnError: boolean;
  command: string;
}

/**
 * One step as a job-script entry. The step runs in a subshell with `set -e`
 * (a fresh shell state per step, stopping at its first failing command, as
 * GitHub's `bash -e` does), its directory and env set inside the subshell so
 * they do not leak into later steps, and the command verbatim at column 0
 * (heredocs keep working). Its exit status is then recorded in `cig_failed`.
 */
export function scriptEntry(step: ScriptStep): string {
  const preamble = ["set -e"];
  if (step.workingDirectory) preamble.push(`cd -- ${shellQuote(step.workingDirectory)}`);
  const env = Object.entries(step.env).sort(([a], [b]) => compareStrings(a, b));
  if (env.length > 0) preamble.push(`export ${env.map(([k, v]) => `${k}=${shellQuote(v)}`).join(" ")}`);
  const onFailure = step.continueOnError ? 'echo "cig: step failed; continue_on_error is set" >&2' : "cig_failed=1";
  return [
    `# ${step.title.replace(/\s*\n\s*/g, " ")}`,
    `if ${step.guard}; then (`,
    preamble.join("; "),
    step.command,
    `); [ $? = 0 ] || ${onFailure}; fi`,
  ].join("\n");
}
