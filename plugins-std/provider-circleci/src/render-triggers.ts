import type { Workflow } from "@cig/proto";
import { type Diag, type Json, type JsonMap, warningDiag } from "@cig/sdk";
import { globToRegex, PIPELINE_VALUES } from "./condition-logic.js";

/** Which refs of one kind (branches or tags) start the workflow. */
type RefRule =
  | { kind: "none" }
  | { kind: "all" }
  | { kind: "only"; globs: readonly string[] }
  | { kind: "ignore"; globs: readonly string[] };

/** What the triggers become: the workflow's `when`, and the `filters.tags` every job needs for tag pipelines. */
export interface RenderedTriggers {
  /** A logic statement for `workflows.<name>.when`; undefined when every branch pipeline runs and no tag pipeline does. */
  when: Json | undefined;
  /** `{ only: "/.*\/" }` when tag pipelines run: CircleCI runs no job on a tag unless its filters say so. */
  tagsAllowed: JsonMap | undefined;
  diagnostics: Diag[];
}

/**
 * Maps `[on]` onto CircleCI, which has no trigger section: every push starts
 * a pipeline, and the config decides what runs.
 * - Branches: a pull request on CircleCI is the pushes to its branch, so with
 *   a pull_request trigger every branch builds (turn on the project setting
 *   "Only build pull requests" to build other branches only with an open
 *   pull request); otherwise `push.branches` / `branches_ignore` restrict.
 * - Tags: `push.tags`, as GitHub reads a push filter (a push with only
 *   branch filters runs no tag, one with only tag filters no branch).
 * Both become one compile-time `when` on the workflow, so a job's own
 * condition filters never have to be intersected with the trigger's.
 * Path filters, pull request filters, schedules and manual triggers have no
 * place in the file: warnings, documented.
 */
export function renderTriggers(workflow: Workflow | undefined): RenderedTriggers {
  const diagnostics: Diag[] = [];
  const triggers = workflow?.triggers ?? [];
  let branches: RefRule = { kind: "none" };
  let tags: RefRule = { kind: "none" };
  let schedules = 0;
  let manual = false;
  for (const t of triggers) {
    const kind = t.kind;
    if (kind.case === "push") {
      const p = kind.value;
      const b: RefRule =
        p.branches.length > 0
          ? { kind: "only", globs: p.branches }
          : p.branchesIgnore.length > 0
            ? { kind: "ignore", globs: p.branchesIgnore }
            : p.tags.length > 0
              ? { kind: "none" }
              : { kind: "all" };
      const tg: RefRule = p.tags.length > 0 ? { kind: "only", globs: p.tags } : b.kind === "all" ? { kind: "all" } : { kind: "none" };
      branches = union(branches, b);
      tags = union(tags, tg);
      if (p.paths.length > 0 || p.pathsIgnore.length > 0) diagnostics.push(ignoredFilter("push", "paths / paths_ignore"));
    } else if (kind.case === "pullRequest") {
      branches = { kind: "all" };
      const p = kind.value;
      if (p.branches.length + p.branchesIgnore.length + p.paths.length + p.pathsIgnore.length + p.types.length > 0) {
        diagnostics.push(ignoredFilter("pull_request", "branches, paths and types"));
      }
    } else if (kind.case === "schedule") {
      schedules++;
    } else if (kind.case === "manual") {
      manual = true;
    }
  }
  if (triggers.length === 0) branches = { kind: "all" };
  if (schedules > 0) diagnostics.push(scheduleOutside(schedules));

  const branchClause = clause(branches, "branch");
  const tagClause = clause(tags, "tag");
  // Scheduled and API-started (manual) pipelines run whatever their branch, as on GitHub.
  const sources = [...(schedules > 0 ? ["scheduled_pipeline"] : []), ...(manual ? ["api"] : [])].map(
    (s): Json => ({ equal: [s, PIPELINE_VALUES.event] }),
  );
  const parts = [branchClause, tagClause, ...sources].filter((p): p is Json => p !== undefined);
  const everyBranchNoTag = branches.kind === "all" && tags.kind === "none";
  const when = everyBranchNoTag ? undefined : parts.length === 0 ? false : parts.length === 1 ? parts[0] : { or: parts };
  return { when, tagsAllowed: tags.kind === "none" ? undefined : { only: "/.*/" }, diagnostics };
}

// A rule as logic over the pipeline's branch or tag; a branch pipeline is one without a tag.
function clause(rule: RefRule, subject: "branch" | "tag"): Json | undefined {
  const isKind: Json = subject === "branch" ? { equal: ["", PIPELINE_VALUES.tag] } : { not: { equal: ["", PIPELINE_VALUES.tag] } };
  const match = (g: string): Json =>
    g.includes("*") ? { matches: { pattern: globToRegex(g), value: PIPELINE_VALUES[subject] } } : { equal: [g, PIPELINE_VALUES[subject]] };
  const any = (globs: readonly string[]): Json => (globs.length === 1 ? match(globs[0] as string) : { or: globs.map(match) });
  switch (rule.kind) {
    case "none":
      return undefined;
    case "all":
      return isKind;
    case "only":
      return { and: [isKind, any(rule.globs)] };
    case "ignore":
      return { and: [isKind, { not: any(rule.globs) }] };
  }
}

// Two push triggers (or push and pull_request): a ref runs when either lets it.
function union(a: RefRule, b: RefRule): RefRule {
  if (a.kind === "all" || b.kind === "all") return { kind: "all" };
  if (a.kind === "none") return b;
  if (b.kind === "none") return a;
  if (a.kind === "only" && b.kind === "only") return { kind: "only", globs: [...new Set([...a.globs, ...b.globs])] };
  // only ∪ ignore, or two ignore lists: what neither ignores runs; exact enough only as "everything".
  return { kind: "all" };
}

function ignoredFilter(event: string, what: string): Diag {
  return warningDiag(
    "PROVIDER_CIRCLECI_TRIGGER_FILTER_IGNORED",
    `CircleCI cannot filter ${event} pipelines by ${what}`,
    `The ${event} trigger's ${what} have no equivalent in .circleci/config.yml: CircleCI starts a pipeline for every push and the config cannot see changed paths or pull request details, so the workflow runs without these filters.`,
    "Drop the filters for CircleCI, or use CircleCI's dynamic configuration (the path-filtering orb) through a provider table.",
  );
}

function scheduleOutside(count: number): Diag {
  return warningDiag(
    "PROVIDER_CIRCLECI_SCHEDULE_OUTSIDE_CONFIG",
    `${count === 1 ? "A schedule trigger" : `${count} schedule triggers`} must be set up in CircleCI's project settings`,
    "CircleCI runs scheduled pipelines from schedule triggers configured in the project settings (or the API), not from .circleci/config.yml; the file cannot declare them.",
    "In CircleCI, open Project Settings → Triggers and add a schedule trigger with the same cron expression (times are UTC).",
  );
}
