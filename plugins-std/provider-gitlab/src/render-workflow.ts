import type { Workflow } from "@cig/proto";
import { type Diag, type JsonMap, orderKeys, warningDiag } from "@cig/sdk";
import { globRegex } from "./condition-rules.js";
import { RULE_KEY_ORDER, WORKFLOW_KEY_ORDER } from "./key-order.js";

/** The triggers when cig.toml declares none: pushes to main and every merge request (cig's default). */
export const DEFAULT_RULES: JsonMap[] = [
  { if: '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == "main"' },
  { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
];

/**
 * `workflow:` from the triggers: one rule per trigger (GitLab ORs rules, so
 * each trigger keeps its own filters), `auto_cancel` when a new run should
 * cancel the running one; and the manual trigger's inputs as pipeline
 * variables with a description, which GitLab's "Run pipeline" form shows.
 */
export function renderWorkflow(workflow: Workflow | undefined): { workflow: JsonMap; inputs: JsonMap; diagnostics: Diag[] } {
  const diagnostics: Diag[] = [];
  const triggers = workflow?.triggers ?? [];
  const rules: JsonMap[] = triggers.length === 0 ? [...DEFAULT_RULES] : [];
  const inputs: JsonMap = {};
  const crons: string[] = [];
  for (const t of triggers) {
    const kind = t.kind;
    switch (kind.case) {
      case "push": {
        const v = kind.value;
        const refs = pushRefs(v.branches, v.branchesIgnore, v.tags);
        rules.push(rule(['$CI_PIPELINE_SOURCE == "push"', ...refs], v.paths));
        if (v.pathsIgnore.length > 0) diagnostics.push(dropped("push", "paths_ignore"));
        break;
      }
      case "pullRequest": {
        const v = kind.value;
        const target = "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME";
        const refs = [...anyOf(target, v.branches), ...v.branchesIgnore.map((b) => notMatching(target, b))];
        rules.push(rule(['$CI_PIPELINE_SOURCE == "merge_request_event"', ...refs], v.paths));
        if (v.pathsIgnore.length > 0) diagnostics.push(dropped("pull_request", "paths_ignore"));
        if (v.types.length > 0) diagnostics.push(dropped("pull_request", "types"));
        break;
      }
      case "schedule":
        if (crons.length === 0) rules.push({ if: '$CI_PIPELINE_SOURCE == "schedule"' });
        crons.push(kind.value.cron);
        break;
      case "manual":
        if (!rules.some((r) => r.if === '$CI_PIPELINE_SOURCE == "web"')) rules.push({ if: '$CI_PIPELINE_SOURCE == "web"' });
        for (const name of Object.keys(kind.value.inputs).sort()) inputs[name] = { value: "", description: kind.value.inputs[name] ?? "" };
        break;
      default:
        break;
    }
  }
  if (crons.length > 0) diagnostics.push(scheduleOutside(crons));
  const out: JsonMap = { rules: rules.map((r) => orderKeys(r, RULE_KEY_ORDER)) };
  if (workflow?.concurrency?.cancelInProgress) out.auto_cancel = { on_new_commit: "interruptible" };
  else if (workflow?.concurrency?.group) diagnostics.push(queueing(workflow.concurrency.group));
  return { workflow: orderKeys(out, WORKFLOW_KEY_ORDER), inputs, diagnostics };
}

/** Whether the pipeline's jobs are `interruptible` (cancel_in_progress). */
export function cancelsInProgress(workflow: Workflow | undefined): boolean {
  return workflow?.concurrency?.cancelInProgress ?? false;
}

// GitHub's push filters: with only branch filters tag pushes do not run, with
// only tag filters branch pushes do not, with both either may.
function pushRefs(branches: readonly string[], ignore: readonly string[], tags: readonly string[]): string[] {
  const branchTests = [...anyOf("$CI_COMMIT_BRANCH", branches), ...ignore.map((b) => notMatching("$CI_COMMIT_BRANCH", b))];
  // branches_ignore alone still means branch pushes only.
  if (branches.length === 0 && ignore.length > 0) branchTests.unshift("$CI_COMMIT_BRANCH");
  const tagTests = anyOf("$CI_COMMIT_TAG", tags);
  if (branchTests.length === 0) return tagTests;
  if (tagTests.length === 0) return branchTests;
  return [`(${branchTests.join(" && ")} || ${tagTests.join(" && ")})`];
}

// One alternative per pattern, parenthesised when there are several.
function anyOf(variable: string, patterns: readonly string[]): string[] {
  if (patterns.length === 0) return [];
  const tests = patterns.map((p) => (p.includes("*") ? `${variable} =~ ${globRegex(p)}` : `${variable} == "${p}"`));
  return [tests.length === 1 ? (tests[0] as string) : `(${tests.join(" || ")})`];
}

function notMatching(variable: string, pattern: string): string {
  return pattern.includes("*") ? `${variable} !~ ${globRegex(pattern)}` : `${variable} != "${pattern}"`;
}

function rule(tests: readonly string[], paths: readonly string[]): JsonMap {
  const r: JsonMap = { if: tests.join(" && ") };
  if (paths.length > 0) r.changes = [...paths];
  return r;
}

function dropped(event: string, filter: string): Diag {
  const why =
    filter === "types"
      ? "GitLab runs merge request pipelines on every push to the source branch and has no activity types"
      : "a GitLab `changes` rule matches when any changed file matches, so it cannot say 'unless only these files changed'";
  return warningDiag(
    "PROVIDER_GITLAB_TRIGGER_FILTER",
    `The ${event} trigger's ${filter} is not rendered for GitLab`,
    `${why}; the pipeline runs without this filter.`,
    `Drop ${filter} from the ${event} trigger, or write the rule yourself in a gitlab table on the jobs (rules).`,
  );
}

function scheduleOutside(crons: readonly string[]): Diag {
  return warningDiag(
    "PROVIDER_GITLAB_SCHEDULE",
    "GitLab schedules are set in the project, not in .gitlab-ci.yml",
    `The pipeline accepts scheduled runs ($CI_PIPELINE_SOURCE == "schedule"), but GitLab only starts them from a pipeline schedule: create one per cron (${crons.join("; ")}, UTC).`,
    "In GitLab: Build > Pipeline schedules > New schedule, with the cron above and the timezone UTC.",
  );
}

function queueing(group: string): Diag {
  return warningDiag(
    "PROVIDER_GITLAB_CONCURRENCY",
    `Concurrency group ${group} is not rendered for GitLab`,
    "GitLab has no pipeline-wide queue: without cancel_in_progress, runs of the same group may overlap.",
    "Set cancel_in_progress = true (GitLab then cancels older pipelines' jobs on a new commit), or add resource_group in a gitlab job table.",
  );
}
