import { type Diag, formatCondition, type Json, type JsonMap, parseCondition } from "@cig/sdk";
import { toFilters, toLogic, usesStatus } from "./condition-logic.js";
import { providerRun } from "./provider-steps.js";
import { type At, nativeCondition, unsupportedCondition } from "./step-diagnostics.js";

/** A job's `if` on CircleCI: filters on its workflow entry, statuses on its requires, or a first step that halts it. */
export interface JobCondition {
  filters?: JsonMap;
  /** The status every needed job must end in (`requires: [{ build: terminal }]`). */
  requireStatus?: "terminal" | "failed";
  /** A compile-time `unless` step that halts the job, first in its steps. */
  halt?: JsonMap;
}

// The object form of `requires` (with a status) names jobs by this pattern.
const STATUS_REQUIRES_NAME = /^[A-Za-z][A-Za-z\s\d_-]*$/;

/**
 * Translates a job's portable condition, most faithful form first:
 * 1. branch/tag (in)equalities → the workflow entry's `filters`, which skip
 *    the job and every job requiring it, as a false `if` does on GitHub;
 * 2. `always()` / `failure()` → requires with a status (`terminal` /
 *    `failed`; failure() only with one needed job, as requires are ANDed);
 * 3. anything else over branch, tag and event → a first step
 *    `unless: <logic>` → `circleci-agent step halt`, evaluated when CircleCI
 *    compiles the config. A halted job counts as successful, so jobs that
 *    require it still run: documented.
 * A native condition is an error unless the job's circleci table sets
 * `filters` (checked by the caller).
 */
export function jobCondition(
  text: string,
  needs: readonly string[],
  tagsAllowed: JsonMap | undefined,
  at: At,
  diagnostics: Diag[],
): JobCondition {
  if (text.trim() === "") return {};
  const parsed = parseCondition(text);
  if (!parsed.portable) {
    diagnostics.push(nativeCondition(text, parsed.reason, "job", at));
    return {};
  }
  const c = parsed.condition;
  const unsupported = (why: string) => {
    diagnostics.push(unsupportedCondition(text, why, "job", at));
    return {};
  };
  if (usesStatus(c)) {
    if (c.kind !== "status")
      return unsupported("a job status (success(), always(), …) can only stand alone in a job condition on CircleCI");
    if (c.status === "success") return {};
    if (c.status === "cancelled") return unsupported("CircleCI cannot start a job because another was cancelled");
    if (c.status === "failure" && needs.length !== 1) {
      return unsupported("CircleCI requires every listed job to end in the given status, so failure() works with exactly one needed job");
    }
    const bad = needs.find((n) => !STATUS_REQUIRES_NAME.test(n));
    if (bad !== undefined) return unsupported(`CircleCI's requires-with-status cannot name the job ${bad} (letters, digits, _ and - only)`);
    return { requireStatus: c.status === "always" ? "terminal" : "failed" };
  }
  const filters = toFilters(c, tagsAllowed);
  if (filters) return { filters };
  const logic = toLogic(c);
  if (typeof logic === "string") return unsupported(logic);
  return { halt: haltStep(formatCondition(c), logic) };
}

function haltStep(condition: string, logic: Json): JsonMap {
  return { unless: { condition: logic, steps: [providerRun(`Skip the job unless ${condition}`, ["circleci-agent step halt"])] } };
}
