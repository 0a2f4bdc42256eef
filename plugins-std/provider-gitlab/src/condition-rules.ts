import type { Condition, JsonMap } from "@cig/sdk";

/** The CI/CD variable each subject of a portable comparison reads. */
export type SubjectVariables = Readonly<Record<"branch" | "tag" | "event", string>>;

/**
 * The CI/CD variable and values a portable comparison reads. `event` values
 * are GitLab's pipeline sources: a manual run is the "Run pipeline" button (`web`).
 */
export const SUBJECT_VARIABLE: SubjectVariables = { branch: "CI_COMMIT_BRANCH", tag: "CI_COMMIT_TAG", event: "CI_PIPELINE_SOURCE" };

/**
 * The variables of a child pipeline (the run-time pipeline of the skip
 * machinery): there `$CI_PIPELINE_SOURCE` is always `parent_pipeline`, so
 * the event is read from `$CIG_PIPELINE_SOURCE`, which the parent's trigger
 * job sets to its own `$CI_PIPELINE_SOURCE`. Branch and tag are the parent's.
 */
export const CHILD_SUBJECT_VARIABLE: SubjectVariables = { ...SUBJECT_VARIABLE, event: "CIG_PIPELINE_SOURCE" };
export const EVENT_SOURCE: Readonly<Record<string, string>> = {
  push: "push",
  pull_request: "merge_request_event",
  schedule: "schedule",
  manual: "web",
};

/** Status functions GitLab's job-level `when` can express, and how. */
const STATUS_WHEN: Readonly<Record<string, string>> = { success: "on_success", failure: "on_failure", always: "always" };

/**
 * The job-level `rules:` for a portable condition, or the reason GitLab
 * cannot say it. Supported shapes, chosen so that the rules read back to
 * the same condition (docs/providers/gitlab.md#conditions):
 * - `R` (no status function): `- if: R`;
 * - `S` or `S && R` with S success()/failure()/always(): `- if: R` + `when: on_success|on_failure|always`;
 * - `!R`: `- if: R` + `when: never`, then `- when: on_success` (GitLab expressions have no `!`).
 */
export function jobRules(c: Condition, subjects: SubjectVariables = SUBJECT_VARIABLE): { rules: JsonMap[] } | { unsupported: string } {
  // A top-level negation keeps its shape (never-rule + catch-all), so the rules read back as written.
  if (c.kind === "not" && !hasStatus(c.operand)) {
    return { rules: [{ if: gitlabExpression(c.operand, subjects), when: "never" }, { when: "on_success" }] };
  }
  if (!hasStatus(c)) return { rules: [{ if: gitlabExpression(c, subjects) }] };
  if (c.kind === "status") {
    const when = STATUS_WHEN[c.status];
    return when ? { rules: [{ when }] } : { unsupported: `${c.status}() has no job-level equivalent in GitLab` };
  }
  if (c.kind === "and" && c.left.kind === "status" && !hasStatus(c.right)) {
    const when = STATUS_WHEN[c.left.status];
    if (when) return { rules: [{ if: gitlabExpression(c.right, subjects), when }] };
  }
  return { unsupported: "GitLab's `when` takes one status for the whole job, so a status function can only lead an && chain" };
}

/** True when a status function (success(), failure(), always(), cancelled()) occurs anywhere in `c`. */
export function hasStatus(c: Condition): boolean {
  switch (c.kind) {
    case "status":
      return true;
    case "compare":
      return false;
    case "not":
      return hasStatus(c.operand);
    default:
      return hasStatus(c.left) || hasStatus(c.right);
  }
}

/**
 * A status-free condition as a GitLab CI expression. GitLab has no `!`, so
 * a negation is pushed down to the comparisons (`!=`, `!~`, De Morgan).
 */
export function gitlabExpression(c: Condition, subjects: SubjectVariables = SUBJECT_VARIABLE): string {
  return expression(c, false, subjects).text;
}

type Expr = { text: string; kind: "and" | "or" | "atom" };

function expression(c: Condition, negate: boolean, subjects: SubjectVariables): Expr {
  switch (c.kind) {
    case "compare":
      return { text: comparison(c, negate, subjects), kind: "atom" };
    case "not":
      return expression(c.operand, !negate, subjects);
    case "and":
    case "or": {
      // De Morgan: !(a && b) = !a || !b.
      const kind = (c.kind === "and") !== negate ? "and" : "or";
      const side = (s: Condition) => {
        const e = expression(s, negate, subjects);
        return e.kind !== "atom" && e.kind !== kind ? `(${e.text})` : e.text;
      };
      return { text: `${side(c.left)} ${kind === "and" ? "&&" : "||"} ${side(c.right)}`, kind };
    }
    default:
      // Status functions never get here: jobRules splits them off first.
      return { text: "", kind: "atom" };
  }
}

function comparison(c: Extract<Condition, { kind: "compare" }>, negate: boolean, subjects: SubjectVariables): string {
  const variable = `$${subjects[c.subject]}`;
  const value = c.subject === "event" ? (EVENT_SOURCE[c.value] ?? c.value) : c.value;
  const equal = (c.op === "==") !== negate;
  if (value.includes("*") || value.includes('"')) return `${variable} ${equal ? "=~" : "!~"} ${globRegex(value)}`;
  return `${variable} ${equal ? "==" : "!="} "${value}"`;
}

/**
 * A portable ref glob as a GitLab (RE2) regex literal matching the whole
 * name: `*` within a path segment, `**` across segments, everything else literal.
 */
export function globRegex(glob: string): string {
  const body = glob
    .split(/(\*\*|\*)/)
    .map((part) => (part === "**" ? ".*" : part === "*" ? "[^\\/]*" : part.replace(/[.+?^${}()|[\]\\/"]/g, "\\$&")))
    .join("");
  return `/^${body}$/`;
}
