import type { Workflow } from "@cig/proto";
import { type Diag, warningDiag } from "@cig/sdk";

/**
 * What the pipeline's Buildkite settings must say for `[on]` to hold. A
 * pipeline file cannot choose which events create builds: the repository
 * webhook, the branch filter, "Build pull requests" and schedules live in the
 * pipeline's settings. Filtering inside the file instead (an `if` on every
 * step) would skip every step of builds the settings still create, and
 * `branches:` on steps would also skip pull request builds of other
 * branches, so the provider leaves the file alone and says what to set.
 * cig's default (pushes to main and every pull request) is the settings of a
 * new Buildkite pipeline with "Build pull requests" on: no warning for it.
 */
export function triggerSettings(workflow: Workflow | undefined): Diag[] {
  const triggers = workflow?.triggers ?? [];
  const lines: string[] = [];
  for (const t of triggers) {
    const k = t.kind;
    switch (k.case) {
      case "push": {
        const v = k.value;
        const filters = [
          v.branches.length > 0 ? `branch filter "${v.branches.join(" ")}"` : "every branch",
          ...(v.branchesIgnore.length > 0 ? [`excluding "${v.branchesIgnore.map((b) => `!${b}`).join(" ")}"`] : []),
          ...(v.tags.length > 0 ? [`"Build tags" on (${v.tags.join(", ")})`] : []),
          ...(v.paths.length + v.pathsIgnore.length > 0 ? ["path filters via if_changed or a monorepo plugin"] : []),
        ];
        lines.push(`push: ${filters.join(", ")}`);
        break;
      }
      case "pullRequest": {
        const v = k.value;
        const extra = [
          ...(v.branches.length + v.branchesIgnore.length > 0
            ? [`a pull request base branch filter (${[...v.branches, ...v.branchesIgnore.map((b) => `!${b}`)].join(", ")})`]
            : []),
          ...(v.types.length > 0 ? [`the activity types ${v.types.join(", ")}`] : []),
          ...(v.paths.length + v.pathsIgnore.length > 0 ? ["path filters"] : []),
        ];
        lines.push(`pull_request: "Build pull requests" on${extra.length > 0 ? `, with ${extra.join(" and ")}` : ""}`);
        break;
      }
      case "schedule":
        lines.push(`schedule: a pipeline schedule with cron "${k.value.cron}" (UTC)`);
        break;
      case "manual":
        lines.push(
          `manual: "New Build" in the Buildkite UI${Object.keys(k.value.inputs).length > 0 ? ` (inputs ${Object.keys(k.value.inputs).sort().join(", ")} as build environment variables)` : ""}`,
        );
        break;
      default:
        break;
    }
  }
  if (lines.length === 0 || isDefault(workflow)) return [];
  return [
    warningDiag(
      "PROVIDER_BUILDKITE_TRIGGERS_IN_SETTINGS",
      "Set the triggers in the Buildkite pipeline settings",
      `A Buildkite pipeline file cannot say which events create builds; configure the pipeline's settings: ${lines.join("; ")}.`,
      "Open the pipeline's Settings (GitHub / schedules) in Buildkite and set them as listed; docs/providers/buildkite.md#triggers.",
    ),
  ];
}

function isDefault(workflow: Workflow | undefined): boolean {
  const t = workflow?.triggers ?? [];
  if (t.length !== 2) return false;
  const push = t.find((x) => x.kind.case === "push")?.kind;
  const pr = t.find((x) => x.kind.case === "pullRequest")?.kind;
  if (push?.case !== "push" || pr?.case !== "pullRequest") return false;
  const p = push.value;
  const q = pr.value;
  const empty = (l: readonly string[]) => l.length === 0;
  return (
    p.branches.length === 1 &&
    p.branches[0] === "main" &&
    [p.branchesIgnore, p.tags, p.paths, p.pathsIgnore, q.branches, q.branchesIgnore, q.paths, q.pathsIgnore, q.types].every(empty)
  );
}
