import type { Condition } from "@cig/sdk";
import { EVENT_SOURCE, SUBJECT_VARIABLE, type SubjectVariables } from "./condition-rules.js";

/**
 * Where a step condition is tested: in `script` (the job is still
 * succeeding, so success() and always() hold and failure()/cancelled() do
 * not) or in `after_script`, where `$CI_JOB_STATUS` says how the job went.
 */
export type ShellContext = "script" | "after_script";

/** True when `c` needs the job's outcome: failure(), always() or cancelled() anywhere in it. */
export function needsJobStatus(c: Condition): boolean {
  switch (c.kind) {
    case "status":
      return c.status !== "success";
    case "compare":
      return false;
    case "not":
      return needsJobStatus(c.operand);
    default:
      return needsJobStatus(c.left) || needsJobStatus(c.right);
  }
}

/**
 * A portable condition as a POSIX shell test for a step (`if <test>; then`).
 * Ref and event comparisons read GitLab's predefined variables; a glob is
 * matched with `grep -Eqx` because a shell `case` pattern's `*` would also
 * cross `/`. Returns "true" when the condition always holds in `context`.
 */
export function shellTest(c: Condition, context: ShellContext, subjects: SubjectVariables = SUBJECT_VARIABLE): string {
  switch (c.kind) {
    case "status":
      if (context === "script") return c.status === "success" || c.status === "always" ? "true" : "false";
      if (c.status === "always") return "true";
      return `[ "$CI_JOB_STATUS" = ${c.status === "success" ? "success" : c.status === "failure" ? "failed" : "canceled"} ]`;
    case "compare": {
      const variable = `"\${${subjects[c.subject]}:-}"`;
      const value = c.subject === "event" ? (EVENT_SOURCE[c.value] ?? c.value) : c.value;
      const test = value.includes("*")
        ? `printf '%s\\n' ${variable} | grep -Eqx ${shellQuote(globEre(value))}`
        : `[ ${variable} = ${shellQuote(value)} ]`;
      return c.op === "==" ? test : `! ${test}`;
    }
    case "not": {
      const inner = shellTest(c.operand, context, subjects);
      return inner === "true" ? "false" : inner === "false" ? "true" : `! { ${inner}; }`;
    }
    default: {
      const left = shellTest(c.left, context, subjects);
      const right = shellTest(c.right, context, subjects);
      // Constant folding keeps the common cases ("always() && …") short.
      if (c.kind === "and") {
        if (left === "false" || right === "false") return "false";
        if (left === "true") return right;
        if (right === "true") return left;
        return `${group(left)} && ${group(right)}`;
      }
      if (left === "true" || right === "true") return "true";
      if (left === "false") return right;
      if (right === "false") return left;
      return `${group(left)} || ${group(right)}`;
    }
  }
}

// A compound test inside && / || is braced so that the shell's equal
// precedence of && and || cannot regroup it.
function group(test: string): string {
  return /&&|\|\|/.test(test) ? `{ ${test}; }` : test;
}

/** A portable glob as an extended regex for `grep -x`: `*` within a segment, `**` across. */
export function globEre(glob: string): string {
  return glob
    .split(/(\*\*|\*)/)
    .map((part) => (part === "**" ? ".*" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
}

/** `text` as one single-quoted shell word. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
