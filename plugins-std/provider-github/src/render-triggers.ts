import type { Workflow } from "@cig/proto";
import { type Diag, errorDiag, type JsonMap, orderKeys, setIf, sortedMap } from "@cig/sdk";
import { TRIGGER_FILTER_KEY_ORDER, TRIGGER_KEY_ORDER } from "./key-order.js";

/**
 * `on:` when cig.toml declares no trigger: every push to main (the default
 * branch of new GitHub repositories) and every pull request, whatever its
 * base — so stacked pull requests are tested too, and feature-branch pushes
 * are not built twice.
 */
export const DEFAULT_TRIGGERS: JsonMap = { push: { branches: ["main"] }, pull_request: null };

type Filters = Record<string, readonly string[]>;

/**
 * `on:` from the workflow's triggers. One push and one pull_request trigger
 * at most (GitHub has one of each; two would change their meaning if merged);
 * schedules collect into one list. An event without filters renders as
 * `push:` (null), GitHub's "every such event".
 */
export function renderTriggers(workflow: Workflow | undefined): { on: JsonMap; diagnostics: Diag[] } {
  const triggers = workflow?.triggers ?? [];
  if (triggers.length === 0) return { on: DEFAULT_TRIGGERS, diagnostics: [] };
  const on: JsonMap = {};
  const diagnostics: Diag[] = [];
  const crons: JsonMap[] = [];
  const once = (event: string, value: JsonMap | null) => {
    if (event in on) diagnostics.push(duplicate(event));
    else on[event] = value;
  };
  for (const t of triggers) {
    const kind = t.kind;
    switch (kind.case) {
      case "push": {
        const v = kind.value;
        once(
          "push",
          filters(
            "push",
            { branches: v.branches, "branches-ignore": v.branchesIgnore, tags: v.tags, paths: v.paths, "paths-ignore": v.pathsIgnore },
            diagnostics,
          ),
        );
        break;
      }
      case "pullRequest": {
        const v = kind.value;
        const f = {
          types: v.types,
          branches: v.branches,
          "branches-ignore": v.branchesIgnore,
          paths: v.paths,
          "paths-ignore": v.pathsIgnore,
        };
        once("pull_request", filters("pull_request", f, diagnostics));
        break;
      }
      case "schedule":
        crons.push({ cron: kind.value.cron });
        break;
      case "manual":
        once("workflow_dispatch", dispatchInputs(kind.value.inputs));
        break;
      default:
        break;
    }
  }
  if (crons.length > 0) on.schedule = crons;
  return { on: orderKeys(on, TRIGGER_KEY_ORDER), diagnostics };
}

function filters(event: string, lists: Filters, diagnostics: Diag[]): JsonMap | null {
  for (const [a, b] of [
    ["branches", "branches-ignore"],
    ["paths", "paths-ignore"],
  ] as const) {
    if ((lists[a]?.length ?? 0) > 0 && (lists[b]?.length ?? 0) > 0) diagnostics.push(conflictingFilters(event, a, b));
  }
  const out: JsonMap = {};
  for (const [key, list] of Object.entries(lists)) setIf(out, key, [...list]);
  return Object.keys(out).length === 0 ? null : orderKeys(out, TRIGGER_FILTER_KEY_ORDER);
}

// cig.toml maps each manual input's name to its description; inputs are optional strings.
function dispatchInputs(inputs: Readonly<Record<string, string>>): JsonMap | null {
  const names = Object.keys(inputs);
  if (names.length === 0) return null;
  return { inputs: sortedMap(names.map((n) => [n, { description: inputs[n] ?? "", type: "string", required: false }])) };
}

function duplicate(event: string): Diag {
  return errorDiag(
    "PROVIDER_GITHUB_DUPLICATE_TRIGGER",
    `More than one ${event} trigger`,
    `A GitHub workflow has one ${event} event; merging two would combine their branch and path filters into one (AND), which neither trigger says. Only the first was rendered.`,
    `Declare one ${event} trigger, or put the second set of jobs in a workflow of its own ([[outputs]]).`,
  );
}

function conflictingFilters(event: string, a: string, b: string): Diag {
  return errorDiag(
    "PROVIDER_GITHUB_TRIGGER_FILTER_CONFLICT",
    `The ${event} trigger has both ${a} and ${b}`,
    `GitHub rejects a workflow whose ${event} event sets both ${a} and ${b}.`,
    `Keep one of them: exclude with "!pattern" entries inside ${a}.`,
  );
}
