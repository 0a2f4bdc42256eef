import { type Condition, isGlob } from "@cig/sdk";
import { groovyString } from "./groovy-text.js";

// Jenkins' build causes for the portable events. A multibranch pull request
// build sets CHANGE_ID (the `changeRequest()` condition); cron builds carry a
// TimerTriggerCause; "Build Now" a UserIdCause. A push is a build that is none
// of these (branch indexing, webhook or SCM polling).
const TIMER_CAUSE = "hudson.triggers.TimerTrigger$TimerTriggerCause";
const USER_CAUSE = "hudson.model.Cause$UserIdCause";

/** Jenkins' post conditions for the portable status functions (`success()` is a plain step). */
export const POST_CONDITION = { always: "always", failure: "failure", cancelled: "aborted" } as const;

/**
 * A ref pattern as a Jenkins `branch`/`tag` condition argument. Jenkins'
 * default comparator is an Ant glob, which matches the portable glob (`*`
 * within a segment, `**` across) when `**` stands alone as a segment and
 * there is no `?` (a wildcard for Ant, a literal for cig); otherwise the
 * pattern is written as the equivalent regular expression.
 */
function refArgument(pattern: string): string {
  const antSafe = !pattern.includes("?") && !/[^/]\*\*|\*\*[^/]/.test(pattern);
  if (antSafe) return groovyString(pattern);
  return `pattern: ${groovyString(globRegex(pattern))}, comparator: 'REGEXP'`;
}

/** The portable glob as an anchored Java regular expression (matchesRefGlob's rules). */
export function globRegex(pattern: string): string {
  return pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*\*|\*/g, (s) => (s === "**" ? ".*" : "[^/]*"));
}

function eventWhen(event: string): string[] {
  switch (event) {
    case "pull_request":
      return ["changeRequest()"];
    case "schedule":
      return ["triggeredBy 'TimerTrigger'"];
    case "manual":
      return ["triggeredBy cause: 'UserIdCause'"];
    default:
      return nested("allOf", [
        ...nested("not", ["changeRequest()"]),
        ...nested("not", eventWhen("schedule")),
        ...nested("not", eventWhen("manual")),
      ]);
  }
}

function nested(head: string, body: readonly string[]): string[] {
  return [`${head} {`, ...body.map((l) => `    ${l}`), "}"];
}

// a && (b && c) → [a, b, c]: Jenkins' allOf/anyOf take any number of conditions.
function flatten(c: Condition, kind: "and" | "or"): Condition[] {
  return c.kind === kind ? [...flatten(c.left, kind), ...flatten(c.right, kind)] : [c];
}

/**
 * A portable condition as the conditions of a `when { }` block, one or more
 * lines; several lines in `when` are ANDed, so a top-level `&&` is written
 * as its operands. `branch == 'main'` → `branch 'main'`, `event ==
 * 'pull_request'` → `changeRequest()`, `!`/`||` → `not { }`/`anyOf { }`.
 */
export function whenConditions(c: Condition): string[] {
  if (c.kind === "and") return flatten(c, "and").flatMap((x) => whenCondition(x));
  return whenCondition(c);
}

function whenCondition(c: Condition): string[] {
  switch (c.kind) {
    case "compare": {
      const positive = c.subject === "event" ? eventWhen(c.value) : [`${c.subject} ${refArgument(c.value)}`];
      return c.op === "==" ? positive : nested("not", positive);
    }
    case "not":
      return nested("not", whenCondition(c.operand));
    case "and":
      return nested("allOf", flatten(c, "and").flatMap(whenCondition));
    case "or":
      return nested("anyOf", flatten(c, "or").flatMap(whenCondition));
    default:
      // A status function on a job: the build result so far (see docs: Jenkins skips later stages after a failure).
      if (c.status === "always") return ["expression { return true }"];
      return [`expression { return currentBuild.currentResult == '${statusResult(c.status)}' }`];
  }
}

function statusResult(status: "success" | "failure" | "cancelled"): string {
  return status === "success" ? "SUCCESS" : status === "failure" ? "FAILURE" : "ABORTED";
}

/** True when the condition uses a status function (`success()` too when `orSuccess`) anywhere. */
export function usesRunStatus(c: Condition, orSuccess = false): boolean {
  if (c.kind === "status") return orSuccess || c.status !== "success";
  if (c.kind === "not") return usesRunStatus(c.operand, orSuccess);
  if (c.kind === "and" || c.kind === "or") return usesRunStatus(c.left, orSuccess) || usesRunStatus(c.right, orSuccess);
  return false;
}

/**
 * A status-free portable condition as a Groovy boolean expression, for
 * steps (which have no `when`): `env.BRANCH_NAME == 'main'`, globs with `==~`.
 */
export function groovyCondition(c: Condition): string {
  switch (c.kind) {
    case "compare": {
      const positive =
        c.subject === "event" ? eventExpression(c.value) : refExpression(c.subject === "branch" ? "BRANCH_NAME" : "TAG_NAME", c.value);
      return c.op === "==" ? positive : `!(${positive})`;
    }
    case "not":
      return `!(${groovyCondition(c.operand)})`;
    case "and":
    case "or": {
      const side = (s: Condition) => (s.kind === "and" || s.kind === "or" ? `(${groovyCondition(s)})` : groovyCondition(s));
      return `${side(c.left)} ${c.kind === "and" ? "&&" : "||"} ${side(c.right)}`;
    }
    default:
      return c.status === "always" || c.status === "success" ? "true" : "false";
  }
}

function refExpression(variable: string, value: string): string {
  if (!isGlob(value)) return `env.${variable} == ${groovyString(value)}`;
  return `(env.${variable} ?: '') ==~ ${groovyString(globRegex(value))}`;
}

function eventExpression(event: string): string {
  const cause = (name: string) => `!currentBuild.getBuildCauses(${groovyString(name)}).isEmpty()`;
  switch (event) {
    case "pull_request":
      return "env.CHANGE_ID != null";
    case "schedule":
      return cause(TIMER_CAUSE);
    case "manual":
      return cause(USER_CAUSE);
    default:
      return `!(env.CHANGE_ID != null || ${cause(TIMER_CAUSE)} || ${cause(USER_CAUSE)})`;
  }
}

/**
 * A step condition split into where the step goes and what guards it:
 * `failure() && branch == 'main'` → the `failure` post block, guarded by the
 * branch test. A status function under `||` or `!`, or two of them, has no
 * Jenkins form: undefined.
 */
export function splitStepCondition(c: Condition): { post: string | undefined; guard: Condition | undefined } | undefined {
  const parts = flatten(c, "and");
  const statuses = parts.filter((p) => p.kind === "status");
  const rest = parts.filter((p) => p.kind !== "status");
  if (rest.some((p) => usesRunStatus(p, true)) || statuses.length > 1) return undefined;
  const guard = rest.reduceRight<Condition | undefined>((acc, p) => (acc ? { kind: "and", left: p, right: acc } : p), undefined);
  const status = statuses[0];
  const post = status?.kind === "status" && status.status !== "success" ? POST_CONDITION[status.status] : undefined;
  return { post, guard };
}
