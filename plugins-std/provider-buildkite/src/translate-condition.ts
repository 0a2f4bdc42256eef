// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is shell syntax, not a JS template.
import type { Condition } from "@cig/sdk";

// Portable conditions in Buildkite's two places for them:
// - job level: the step's `if`, a Buildkite conditional evaluated at pipeline
//   upload against the build (build.branch, build.tag, build.source, …);
// - step level: a shell test at run time inside the job script, against the
//   BUILDKITE_* variables the agent sets from the same build attributes.
// Both translations are exact for the portable language; the tables are in
// docs/providers/buildkite.md ("Conditions"). test/parse-buildkite.ts reads
// the job-level form back, so keep the two in step.

/**
 * A portable glob (`*` within a segment, `**` across) as an anchored regular
 * expression. `inSlashes`: for a Buildkite `/…/` literal, where `/` must be
 * written `\/` even inside a bracket expression.
 */
export function globToRegex(glob: string, inSlashes = true): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === "*" && glob[i + 1] === "*") {
      out += ".*";
      i++;
    } else if (ch === "*") out += inSlashes ? "[^\\/]*" : "[^/]*";
    else if (ch === "/") out += inSlashes ? "\\/" : "/";
    else out += /[\\^$.|?+()[\]{}]/.test(ch) ? `\\${ch}` : ch;
  }
  return `^${out}$`;
}

/** A Buildkite conditional string literal. */
function bkString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * One comparison as a Buildkite conditional. `branch` excludes tag builds,
 * because Buildkite sets build.branch to the tag name when it builds a tag.
 * `!=` is always the negation of the `==` form, so that "no tag" counts as
 * "not equal" exactly as it does for the other providers.
 */
function bkCompare(c: Extract<Condition, { kind: "compare" }>): string {
  const match = (subject: string) =>
    c.value.includes("*") ? `${subject} =~ /${globToRegex(c.value)}/` : `${subject} == ${bkString(c.value)}`;
  let positive: string;
  switch (c.subject) {
    case "branch":
      positive = `(build.tag == null && ${match("build.branch")})`;
      break;
    case "tag":
      positive = match("build.tag");
      break;
    default:
      positive = BK_EVENTS[c.value] ?? "false";
  }
  return c.op === "==" ? positive : `!(${positive})`;
}

/** `event == '<name>'` per portable event. A push is a webhook build that is not a pull request build. */
export const BK_EVENTS: Readonly<Record<string, string>> = {
  push: '(build.source == "webhook" && build.pull_request.id == null)',
  pull_request: "build.pull_request.id != null",
  schedule: 'build.source == "schedule"',
  manual: 'build.source == "ui"',
};

/** A status-free portable condition as a Buildkite conditional (`if:`). Status atoms render as `true`; callers strip them first. */
export function toBuildkiteIf(c: Condition): string {
  switch (c.kind) {
    case "compare":
      return bkCompare(c);
    case "status":
      return "true";
    case "not":
      return `!(${toBuildkiteIf(c.operand)})`;
    default: {
      const side = (s: Condition) =>
        (s.kind === "and" || s.kind === "or") && s.kind !== c.kind ? `(${toBuildkiteIf(s)})` : toBuildkiteIf(s);
      return `${side(c.left)} ${c.kind === "and" ? "&&" : "||"} ${side(c.right)}`;
    }
  }
}

/** A POSIX shell single-quoted word. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

function shCompare(c: Extract<Condition, { kind: "compare" }>): string {
  const match = (variable: string) =>
    c.value.includes("*")
      ? `printf '%s\\n' "\${${variable}:-}" | grep -Eq ${shellQuote(globToRegex(c.value, false))}`
      : `[ "\${${variable}:-}" = ${shellQuote(c.value)} ]`;
  let positive: string;
  switch (c.subject) {
    case "branch":
      positive = `{ [ -z "\${BUILDKITE_TAG:-}" ] && ${match("BUILDKITE_BRANCH")}; }`;
      break;
    case "tag":
      positive = match("BUILDKITE_TAG");
      break;
    default:
      positive = SH_EVENTS[c.value] ?? "false";
  }
  return c.op === "==" ? positive : `! ${positive.startsWith("{") ? positive : `{ ${positive}; }`}`;
}

// BUILDKITE_PULL_REQUEST is the pull request number, or "false" when the build is not for one.
const SH_EVENTS: Readonly<Record<string, string>> = {
  push: '{ [ "${BUILDKITE_SOURCE:-}" = webhook ] && [ "${BUILDKITE_PULL_REQUEST:-false}" = false ]; }',
  pull_request: '[ "${BUILDKITE_PULL_REQUEST:-false}" != false ]',
  schedule: '[ "${BUILDKITE_SOURCE:-}" = schedule ]',
  manual: '[ "${BUILDKITE_SOURCE:-}" = ui ]',
};

/**
 * A step condition as a shell test for the job script. `success()` and
 * `failure()` read `cig_failed`, the job script's record of an earlier failed
 * step; `always()` is `true`. A condition without a status function means
 * "and success()", as on GitHub. `cancelled()` is never true: a cancelled
 * Buildkite job is killed, so no later step runs.
 */
export function toShellTest(c: Condition): string {
  const hasStatus = (x: Condition): boolean =>
    x.kind === "status" ||
    (x.kind === "not" ? hasStatus(x.operand) : x.kind === "and" || x.kind === "or" ? hasStatus(x.left) || hasStatus(x.right) : false);
  const test = shTest(c);
  return hasStatus(c) ? test : `[ "$cig_failed" = 0 ] && ${test}`;
}

function shTest(c: Condition): string {
  switch (c.kind) {
    case "status":
      return { success: '[ "$cig_failed" = 0 ]', failure: '[ "$cig_failed" = 1 ]', always: "true", cancelled: "false" }[c.status];
    case "compare":
      return shCompare(c);
    case "not":
      return `! { ${shTest(c.operand)}; }`;
    default:
      return `{ ${shTest(c.left)} ${c.kind === "and" ? "&&" : "||"} ${shTest(c.right)}; }`;
  }
}
