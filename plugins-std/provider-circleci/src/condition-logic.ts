import { type Condition, formatCondition, type Json, type JsonMap } from "@cig/sdk";

/** The pipeline values a portable condition's subjects read, substituted by CircleCI when it compiles the config. */
export const PIPELINE_VALUES = {
  branch: "<< pipeline.git.branch >>",
  tag: "<< pipeline.git.tag >>",
  event: "<< pipeline.trigger_source >>",
} as const;

/**
 * `pipeline.trigger_source` for each portable event. Pull requests have no
 * value: CircleCI builds the pushes to a pull request's branch, and its
 * config cannot tell a pull request pipeline from a push pipeline.
 */
export const EVENT_SOURCES: Readonly<Record<string, string>> = { push: "webhook", schedule: "scheduled_pipeline", manual: "api" };

/**
 * A portable glob as the Java regular expression CircleCI matches with:
 * `*` within a `/`-separated segment, `**` across segments, anchored.
 */
export function globToRegex(glob: string): string {
  const body = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*\*|\*/g, (s) => (s === "**" ? ".*" : "[^/]*"));
  return `^${body}$`;
}

/**
 * The condition as a CircleCI logic statement (`and`/`or`/`not`/`equal`/
 * `matches` over pipeline values), for a compile-time `when`/`unless`.
 * Status functions have no logic form: the result is a reason string.
 */
export function toLogic(c: Condition): Json | string {
  switch (c.kind) {
    case "status":
      return `${c.status}() is a job status, not something the config can test`;
    case "compare": {
      let test: Json;
      if (c.subject === "event") {
        const source = EVENT_SOURCES[c.value];
        if (source === undefined) return `CircleCI cannot tell a ${c.value} pipeline from a push pipeline`;
        test = { equal: [source, PIPELINE_VALUES.event] };
      } else if (c.value.includes("*")) {
        test = { matches: { pattern: globToRegex(c.value), value: PIPELINE_VALUES[c.subject] } };
      } else {
        test = { equal: [c.value, PIPELINE_VALUES[c.subject]] };
      }
      return c.op === "==" ? test : { not: test };
    }
    case "not": {
      const inner = toLogic(c.operand);
      return typeof inner === "string" ? inner : { not: inner };
    }
    default: {
      // a && b && c is one `and` list, not nested pairs: easier to read.
      const parts: Json[] = [];
      for (const side of chain(c, c.kind)) {
        const logic = toLogic(side);
        if (typeof logic === "string") return logic;
        parts.push(logic);
      }
      return { [c.kind]: parts };
    }
  }
}

/** The operands of a chain of one operator, left to right. */
export function chain(c: Condition, kind: "and" | "or"): Condition[] {
  return c.kind === kind ? [...chain(c.left, kind), ...chain(c.right, kind)] : [c];
}

/** True when the condition tests a job status somewhere (success(), failure(), …). */
export function usesStatus(c: Condition): boolean {
  if (c.kind === "status") return true;
  if (c.kind === "not") return usesStatus(c.operand);
  if (c.kind === "and" || c.kind === "or") return usesStatus(c.left) || usesStatus(c.right);
  return false;
}

/**
 * Workflow-job `filters` equivalent to the condition, or undefined when
 * filters cannot say it exactly. Filters skip a job the way a false `if`
 * does on GitHub: jobs requiring it do not run either.
 * - `branch == a || tag == b || …` → `branches.only` / `tags.only` (a tag
 *   pipeline has no branch, so without tag values `branches.only` alone is
 *   exact: CircleCI runs no job on tags unless a tags filter lets it);
 * - `branch != a && branch != b` → `branches.ignore`; tag pipelines pass
 *   too (their branch is empty), so `tags` gets the trigger's tags rule.
 * Only a form whose reading-back gives the same text is used (the parser
 * in test/parse-circleci.ts reads filters back in exactly this order).
 */
export function toFilters(c: Condition, tagsAllowed: JsonMap | undefined): JsonMap | undefined {
  const ors = chain(c, "or");
  if (ors.every((o) => o.kind === "compare" && o.op === "==" && o.subject !== "event")) {
    const values = (subject: string) => ors.flatMap((o) => (o.kind === "compare" && o.subject === subject ? [filterValue(o.value)] : []));
    const branches = values("branch");
    const tags = values("tag");
    const filters: JsonMap = { branches: branches.length > 0 ? { only: branches } : { ignore: "/.*/" } };
    if (tags.length > 0) filters.tags = { only: tags };
    return same(filtersCondition(branches, tags, []), c) ? filters : undefined;
  }
  const ands = chain(c, "and");
  if (ands.every((a) => a.kind === "compare" && a.op === "!=" && a.subject === "branch")) {
    const ignored = ands.map((a) => (a.kind === "compare" ? filterValue(a.value) : ""));
    const filters: JsonMap = { branches: { ignore: ignored } };
    if (tagsAllowed) filters.tags = tagsAllowed;
    return same(filtersCondition([], [], ignored), c) ? filters : undefined;
  }
  return undefined;
}

// A filter entry: the literal name, or `/regex/` for a glob.
function filterValue(value: string): string {
  return value.includes("*") ? `/${globToRegex(value)}/` : value;
}

// The condition text the parser will read from these filters.
function filtersCondition(only: string[], tags: string[], ignored: string[]): string {
  const glob = (v: string) => (v.startsWith("/") ? (regexToGlob(v.slice(1, -1)) ?? v) : v);
  const q = (v: string) => `'${glob(v).replace(/'/g, "''")}'`;
  if (ignored.length > 0) return ignored.map((v) => `branch != ${q(v)}`).join(" && ");
  return [...only.map((v) => `branch == ${q(v)}`), ...tags.map((v) => `tag == ${q(v)}`)].join(" || ");
}

function same(text: string, c: Condition): boolean {
  return text === formatCondition(c);
}

/** The glob {@link globToRegex} made `regex` from, or undefined for any other regex. */
export function regexToGlob(regex: string): string | undefined {
  const m = /^\^(.*)\$$/.exec(regex);
  if (!m) return undefined;
  const glob = (m[1] as string).replace(/\.\*|\[\^\/\]\*|\\(.)/g, (s, escaped?: string) =>
    escaped !== undefined ? escaped : s === ".*" ? "**" : "*",
  );
  return globToRegex(glob) === regex ? glob : undefined;
}
