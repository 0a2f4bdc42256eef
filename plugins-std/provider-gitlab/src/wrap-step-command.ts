import { compareStrings } from "@cig/sdk";
import { shellQuote } from "./condition-shell.js";

/** What a step says beyond its command, which GitLab's `script` has no key for. */
export interface StepSettings {
  /** A shell test (condition-shell.ts); "" or "true" = always. */
  test: string;
  /** The condition as the user wrote it, for the marker comment. */
  conditionText: string;
  workingDirectory: string;
  env: Readonly<Record<string, string>>;
  timeoutMinutes: number;
  continueOnError: boolean;
}

/** The marker every wrapper line the provider writes ends with; the parser peels wrappers by it. */
export const WRAPPER_MARK = "# cig:";

/**
 * One step's command as one `script` entry. A step with no settings is its
 * command verbatim. Otherwise the command, still verbatim, is wrapped, from
 * the inside out (docs/providers/gitlab.md#steps):
 *
 * - timeout / continue_on_error: a child `bash -eo pipefail` (GitHub's own
 *   step shell) reads the command from a quoted here-document, under
 *   `timeout <n>m`, followed by `|| echo …` so that a failure does not fail
 *   the job. A child shell, because `set -e` is off inside `||` lists;
 * - working_directory / env: a subshell `( cd -- 'dir' && export K='v' … || exit`,
 *   so that neither leaks into later steps (GitLab runs a job's script
 *   entries in one shell);
 * - a condition: `if <test>; then … fi` (the body keeps `set -e`).
 *
 * The first line of each wrapper ends with `# cig: <what>`.
 */
export function wrapStepCommand(command: string, s: StepSettings): string {
  let text = command;
  if (s.timeoutMinutes > 0 || s.continueOnError) {
    const delimiter = hereDocDelimiter(text);
    const timeout = s.timeoutMinutes > 0 ? `timeout ${s.timeoutMinutes}m ` : "";
    const keepGoing = s.continueOnError ? " || echo 'cig: the step failed; continuing (continue_on_error)'" : "";
    const what = [s.timeoutMinutes > 0 ? `timeout ${s.timeoutMinutes}m` : "", s.continueOnError ? "continue_on_error" : ""].filter(Boolean);
    text = `${timeout}bash -eo pipefail <<'${delimiter}'${keepGoing}  ${WRAPPER_MARK} ${what.join(", ")}\n${text}\n${delimiter}`;
  }
  const names = Object.keys(s.env).sort(compareStrings);
  if (s.workingDirectory !== "" || names.length > 0) {
    const parts = [
      s.workingDirectory !== "" ? `cd -- ${shellQuote(s.workingDirectory)}` : "",
      names.length > 0 ? `export ${names.map((n) => `${n}=${shellQuote(s.env[n] ?? "")}`).join(" ")}` : "",
    ].filter(Boolean);
    const what = [s.workingDirectory !== "" ? "working_directory" : "", names.length > 0 ? "env" : ""].filter(Boolean);
    // `|| exit` after a `cd`: inside an && list a failing cd would not stop the shell.
    const prelude = s.workingDirectory !== "" ? `${parts.join(" && ")} || exit` : parts.join(" && ");
    text = `( ${prelude}  ${WRAPPER_MARK} ${what.join(", ")}\n${text}\n)`;
  }
  if (s.test !== "" && s.test !== "true") {
    text = `if ${s.test}; then  ${WRAPPER_MARK} if ${s.conditionText.replace(/[\r\n]+/g, " ")}\n${text}\nfi`;
  }
  return text;
}

// A delimiter no line of the command equals, so the here-document ends where the wrapper says.
function hereDocDelimiter(command: string): string {
  const lines = new Set(command.split("\n"));
  let delimiter = "CIG_STEP";
  for (let n = 2; lines.has(delimiter); n++) delimiter = `CIG_STEP_${n}`;
  return delimiter;
}
