import { type Condition, type Diag, formatCondition, parseCondition } from "@cig/sdk";
import { type At, nativeCondition, unsupportedCondition } from "./step-diagnostics.js";
import { toBuildkiteIf } from "./translate-condition.js";

/** A job condition as Buildkite command-step keys. */
export interface JobCondition {
  /** The step's `if` (upload-time Buildkite conditional), when the condition compares branch, tag or event. */
  if?: string;
  /** `always()`: the step runs even when a step it depends on failed. */
  allowDependencyFailure: boolean;
}

/**
 * Translates a job's `if`. Buildkite evaluates `if` when the pipeline is
 * uploaded, before any job ran, so status functions cannot go there; they
 * are accepted as top-level `&&` terms only: `success()` is the default and
 * renders nothing, `always()` becomes `allow_dependency_failure: true`.
 * `failure()` / `cancelled()` and status functions under `||` or `!` have no
 * Buildkite equivalent (error). A native condition is an error.
 */
export function translateJobCondition(text: string, at: At, diagnostics: Diag[]): JobCondition {
  const out: JobCondition = { allowDependencyFailure: false };
  if (text.trim() === "") return out;
  const parsed = parseCondition(text);
  if (!parsed.portable) {
    diagnostics.push(nativeCondition(text, parsed.reason, "job", at));
    return out;
  }
  const rest: Condition[] = [];
  for (const term of conjuncts(parsed.condition)) {
    if (term.kind !== "status") {
      if (containsStatus(term)) {
        diagnostics.push(
          unsupportedCondition(
            formatCondition(term),
            "A job's status functions must be top-level && terms: Buildkite decides whether a step runs at upload, before its dependencies ran.",
            at,
          ),
        );
      } else rest.push(term);
    } else if (term.status === "always") out.allowDependencyFailure = true;
    else if (term.status !== "success") {
      diagnostics.push(
        unsupportedCondition(
          `${term.status}()`,
          `A Buildkite step cannot run only when a dependency ${term.status === "failure" ? "failed" : "was cancelled"}.`,
          at,
        ),
      );
    }
  }
  if (rest.length > 0) {
    const joined = rest.reduce((left, right) => ({ kind: "and", left, right }) as Condition);
    out.if = toBuildkiteIf(joined);
  }
  return out;
}

function conjuncts(c: Condition): Condition[] {
  return c.kind === "and" ? [...conjuncts(c.left), ...conjuncts(c.right)] : [c];
}

function containsStatus(c: Condition): boolean {
  if (c.kind === "status") return true;
  if (c.kind === "not") return containsStatus(c.operand);
  if (c.kind === "and" || c.kind === "or") return containsStatus(c.left) || containsStatus(c.right);
  return false;
}
