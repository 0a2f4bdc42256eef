import { type Diag, emptyStepDiag, errorDiag, type StepTarget, warningDiag } from "@cig/sdk";
import { SETUP_TOOLS } from "./render-setup-tool.js";

// The diagnostics of step rendering, one builder per code so that the wording
// of each lives in one place. Codes are listed in docs/providers/github.md.

/** The step (or job) a diagnostic points at. */
export type At = StepTarget;

/** A `uses` naming a cig module, which the core should have expanded before generate. */
export function unresolvedModule(ref: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_GITHUB_UNRESOLVED_MODULE",
    `Step uses the cig module ${ref}, which was not expanded`,
    `"${ref}" is a cig module reference (a name with a version range), not a GitHub action. The core replaces module steps before generate; this one reached provider/github unexpanded.`,
    "Check that the module's plugin is installed and enabled (`cig plugin info`); for a GitHub action write owner/repo@v1.",
    at,
  );
}

/** An action input that is a list or table; GitHub inputs are strings. */
export function nonScalarWith(ref: string, key: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_GITHUB_NON_SCALAR_WITH",
    `with.${key} of ${ref} is a list or table`,
    `GitHub passes action inputs as strings; with.${key} was rendered as JSON text.`,
    "Give the input a string, number or boolean (join lists with newlines where the action expects them).",
    at,
  );
}

/** A cache step (or job.caches entry) naming no [caches.<name>] table. */
export function unknownCache(name: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_GITHUB_UNKNOWN_CACHE",
    `Step uses cache ${name}, which is not defined`,
    `No [caches.${name}] table reached provider/github, so its paths and key are unknown; the step was left out.`,
    `Add [caches.${name}] with paths and key_parts to cig.toml.`,
    at,
  );
}

/** A setup_tool step for a tool without a GitHub setup action. */
export function unknownTool(tool: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_GITHUB_UNKNOWN_TOOL",
    `No GitHub setup action is known for ${tool || "an unnamed tool"}`,
    `provider/github maps setup steps for ${SETUP_TOOLS.join(", ")}; the step was left out.`,
    'Use a `uses` step with the action you want, or a provider override: provider = "github" with its own step.',
    at,
  );
}

/** A field GitHub accepts on run steps only. */
export function runOnly(key: string, at: At): Diag {
  return warningDiag(
    "PROVIDER_GITHUB_RUN_ONLY_FIELD",
    `${key} applies only to run steps on GitHub`,
    `GitHub Actions accepts ${key} only on steps with run:; it was left out of this step.`,
    `Remove ${key} from this step, or pass the directory as an input of the action.`,
    at,
  );
}

/** A step with no action at all. */
export function emptyStep(at: At): Diag {
  return emptyStepDiag("github", at);
}
