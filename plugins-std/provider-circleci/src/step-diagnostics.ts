import { type Diag, emptyStepDiag, errorDiag, type StepTarget, warningDiag } from "@cig/sdk";
import { SETUP_TOOLS } from "./setup-tools.js";

// The diagnostics of step rendering, one builder per code so that the wording
// of each lives in one place. Codes are listed in docs/providers/circleci.md.

/** The step (or job) a diagnostic points at. */
export type At = StepTarget;

/** A `uses` naming a cig module, which the core should have expanded before generate. */
export function unresolvedModule(ref: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_CIRCLECI_UNRESOLVED_MODULE",
    `Step uses the cig module ${ref}, which was not expanded`,
    `"${ref}" is a cig module reference (a name with a version range). The core replaces module steps before generate; this one reached provider/circleci unexpanded and was left out.`,
    "Check that the module's plugin is installed and enabled (`cig plugin info`).",
    at,
  );
}

/** A `uses` of another platform's action without a circleci table. */
export function foreignStep(ref: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_CIRCLECI_FOREIGN_STEP",
    `Step uses ${ref}, which CircleCI cannot run`,
    `"${ref}" is another platform's action; CircleCI has no way to run it, so the step was left out of .circleci/config.yml.`,
    'Give the step a circleci table that is the CircleCI step, e.g. circleci = { store_artifacts = { path = "coverage" } }, or circleci = { skip = true } to leave it out on CircleCI.',
    at,
  );
}

/** A condition that is not portable and has no CircleCI equivalent in the provider table. */
export function nativeCondition(condition: string, reason: string, where: "job" | "step", at: At): Diag {
  const key = where === "job" ? "filters" : "when";
  return errorDiag(
    "PROVIDER_CIRCLECI_NATIVE_CONDITION",
    `The ${where} condition "${condition}" is not portable`,
    `provider/circleci translates portable conditions (branch, tag, event comparisons and success()/failure()/always()); this one is another platform's syntax (${reason}), so the ${where} was rendered without it — it would run unconditionally on CircleCI.`,
    `Write the condition portably (e.g. branch == 'main'), or set circleci = { ${key} = … } on the ${where} with CircleCI's own ${where === "job" ? "workflow filters" : "condition"}.`,
    at,
  );
}

/** A portable condition CircleCI cannot express where it stands. */
export function unsupportedCondition(condition: string, reason: string, where: "job" | "step", at: At): Diag {
  return errorDiag(
    "PROVIDER_CIRCLECI_UNSUPPORTED_CONDITION",
    `CircleCI cannot express the ${where} condition "${condition}"`,
    `${reason}; the ${where} was rendered without the condition.`,
    `Simplify the condition, or set circleci = { ${where === "job" ? "filters" : "when"} = … } on the ${where}.`,
    at,
  );
}

/** A cache step (or job.caches entry) naming no [caches.<name>] table. */
export function unknownCache(name: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_CIRCLECI_UNKNOWN_CACHE",
    `Step uses cache ${name}, which is not defined`,
    `No [caches.${name}] table reached provider/circleci, so its paths and key are unknown; the cache was left out.`,
    `Add [caches.${name}] with paths and key_parts to cig.toml.`,
    at,
  );
}

/** A setup_tool step for a tool without a mapping. */
export function unknownTool(tool: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_CIRCLECI_UNKNOWN_TOOL",
    `No CircleCI setup is known for ${tool || "an unnamed tool"}`,
    `provider/circleci maps setup steps for ${SETUP_TOOLS.join(", ")} (to a cimg image or an install command); the step was left out.`,
    "Run on an image that has the tool (circleci = { docker = [{ image = … }] } in the runner table), or give the step a circleci table.",
    at,
  );
}

/** A language the job's primary image does not contain and this provider cannot install there. */
export function toolNotInImage(tool: string, image: string, at: At): Diag {
  return warningDiag(
    "PROVIDER_CIRCLECI_TOOL_NOT_IN_IMAGE",
    `${tool} is not part of ${image}`,
    `The job sets up more than one language; CircleCI runs it in ${image}, which does not contain ${tool}. An install command was added, which needs ${tool}'s version manager in the image.`,
    "Set the job's image in the runner table (circleci = { docker = [{ image = … }] }) to one with every language the job needs.",
    at,
  );
}

/** Step fields CircleCI has only on run steps. */
export function runOnly(keys: string[], at: At): Diag {
  return warningDiag(
    "PROVIDER_CIRCLECI_RUN_ONLY_FIELD",
    `${keys.join(", ")} apply only to run steps on CircleCI`,
    `CircleCI accepts ${keys.join(", ")} only on run steps; they were left out of this step.`,
    "Move the setting to a run step, or into the step's circleci table.",
    at,
  );
}

/** A step timeout, which CircleCI only has as a no-output timeout. */
export function stepTimeout(minutes: number, at: At): Diag {
  return warningDiag(
    "PROVIDER_CIRCLECI_STEP_TIMEOUT",
    `The step timeout of ${minutes} min is a no-output timeout on CircleCI`,
    `CircleCI has no total time limit for a step; the step got no_output_timeout: ${minutes}m, which stops it only after ${minutes} minutes without output.`,
    "Wrap the command in `timeout` yourself if a hard limit matters.",
    at,
  );
}

/** A step with no action at all. */
export function emptyStep(at: At): Diag {
  return emptyStepDiag("circleci", at);
}
