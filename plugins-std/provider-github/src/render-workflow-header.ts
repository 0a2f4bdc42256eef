import type { Workflow } from "@cig/proto";
import { type Diag, errorDiag, type JsonMap, orderKeys, setIf, sortedStrings, warningDiag } from "@cig/sdk";
import { CONCURRENCY_KEY_ORDER } from "./key-order.js";
import { renderTriggers } from "./render-triggers.js";

/**
 * Least privilege when cig.toml declares no permissions: the GITHUB_TOKEN can
 * read the repository (checkout) and nothing else, whatever the repository's
 * or organisation's default is.
 */
export const DEFAULT_PERMISSIONS: JsonMap = { contents: "read" };

// Scopes GitHub documents for `permissions:`; an unknown one is a warning, not
// an error, so that a scope GitHub adds later is not blocked by this plugin.
const SCOPES = new Set([
  "actions",
  "artifact-metadata",
  "attestations",
  "checks",
  "code-quality",
  "contents",
  "deployments",
  "discussions",
  "id-token",
  "issues",
  "models",
  "packages",
  "pages",
  "pull-requests",
  "repository-projects",
  "security-events",
  "statuses",
]);
const LEVELS = new Set(["read", "write", "none"]);

/** The workflow's `name`, `on`, `permissions`, `concurrency` and `env`, in that order. */
export function renderWorkflowHeader(name: string, workflow: Workflow | undefined): { header: JsonMap; diagnostics: Diag[] } {
  const header: JsonMap = {};
  setIf(header, "name", name);
  const { on, diagnostics } = renderTriggers(workflow);
  header.on = on;
  header.permissions = sortedStrings(workflow?.permissions ?? {}) ?? DEFAULT_PERMISSIONS;
  for (const [scope, level] of Object.entries(workflow?.permissions ?? {})) {
    if (!LEVELS.has(level)) diagnostics.push(badLevel(scope, level));
    else if (!SCOPES.has(scope)) diagnostics.push(unknownScope(scope));
  }
  const group = workflow?.concurrency?.group ?? "";
  if (group !== "") {
    const concurrency: JsonMap = { group };
    setIf(concurrency, "cancel-in-progress", workflow?.concurrency?.cancelInProgress);
    header.concurrency = orderKeys(concurrency, CONCURRENCY_KEY_ORDER);
  }
  setIf(header, "env", sortedStrings(workflow?.env ?? {}));
  return { header, diagnostics };
}

function badLevel(scope: string, level: string): Diag {
  return errorDiag(
    "PROVIDER_GITHUB_BAD_PERMISSION",
    `Permission ${scope} = "${level}" is not read, write or none`,
    "GitHub accepts only read, write and none as a permission level.",
    `Set ${scope} to "read", "write" or "none".`,
  );
}

function unknownScope(scope: string): Diag {
  return warningDiag(
    "PROVIDER_GITHUB_UNKNOWN_PERMISSION",
    `GitHub has no permission scope ${scope}`,
    `${scope} is not one of the scopes GitHub documents (${[...SCOPES].join(", ")}); GitHub will reject the workflow if it does not know it either.`,
    "Check the spelling of the scope.",
  );
}
