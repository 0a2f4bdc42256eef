import { type Diag, emptyStepDiag, errorDiag, type StepTarget } from "@cig/sdk";
import { TOOLS } from "./render-setup-tool.js";

// The diagnostics of step rendering, one builder per code so that the wording
// of each lives in one place. Codes are listed in docs/providers/jenkins.md.

/** The step (or job) a diagnostic points at. */
export type At = StepTarget;

/** A `uses` naming a cig module, which the core should have expanded before generate. */
export function unresolvedModule(ref: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_JENKINS_UNRESOLVED_MODULE",
    `Step uses the cig module ${ref}, which was not expanded`,
    `"${ref}" is a cig module reference; the core replaces module steps before generate, but this one reached provider/jenkins unexpanded. The step was left out.`,
    "Check that the module's plugin is installed and enabled (`cig plugin info`).",
    at,
  );
}

/** A `uses` of another platform's action without a jenkins table that says what to do instead. */
export function foreignStep(ref: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_JENKINS_FOREIGN_STEP",
    `Step uses ${ref}, which Jenkins cannot run`,
    `"${ref}" is another platform's action, and the step has no jenkins = { … } table saying what Jenkins should do instead; it was left out.`,
    'Add a jenkins table with the Jenkins step, e.g. jenkins = { archiveArtifacts = { artifacts = "dist/**" } }, or jenkins = { skip = true } to leave it out on Jenkins.',
    at,
  );
}

/** A cache step (or job.caches entry) naming no [caches.<name>] table. */
export function unknownCache(name: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_JENKINS_UNKNOWN_CACHE",
    `Cache ${name} is not defined`,
    `No [caches.${name}] table reached provider/jenkins, so its paths and key are unknown; it was left out.`,
    `Add [caches.${name}] with paths and key_parts to cig.toml.`,
    at,
  );
}

/** A setup_tool step for a tool without a mapping. */
export function unknownTool(tool: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_JENKINS_UNKNOWN_TOOL",
    `No Jenkins setup is known for ${tool || "an unnamed tool"}`,
    `provider/jenkins sets up ${Object.keys(TOOLS).join(", ")}; the step was left out.`,
    'Install the tool in a run step, or give the job a runner whose machine has it (jenkins = { label = "…" }).',
    at,
  );
}

/** A `shell` the sh step cannot take. */
export function unknownShell(shell: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_JENKINS_UNKNOWN_SHELL",
    `Jenkins has no step for shell ${shell}`,
    `provider/jenkins runs sh, bash and python scripts with sh, pwsh and powershell with their steps, and cmd with bat; "${shell}" was run with sh instead.`,
    'Use one of those shells, or call the interpreter yourself: run = "myshell script.ext".',
    at,
  );
}

/** A step with no action at all. */
export function emptyStep(at: At): Diag {
  return emptyStepDiag("jenkins", at);
}

/** A condition in a syntax other than the portable one, with no jenkins table to replace it. */
export function nativeCondition(text: string, reason: string, what: "job" | "step", at: At): Diag {
  const key = what === "job" ? 'jenkins = { when = { branch = "main" } }' : "jenkins = { if = \"env.BRANCH_NAME == 'main'\" }";
  return errorDiag(
    "PROVIDER_JENKINS_NATIVE_CONDITION",
    `The ${what} condition ${JSON.stringify(text)} is not portable`,
    `provider/jenkins translates portable conditions (branch, tag, event, status functions); this one is another platform's syntax (${reason}). The ${what} was rendered without it.`,
    `Write it portably (e.g. branch == 'main'), or set the Jenkins equivalent in a provider table: ${key}.`,
    at,
  );
}

/** A step status condition Jenkins has no place for (a status function under || or !, or two of them). */
export function unsupportedCondition(text: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_JENKINS_UNSUPPORTED_CONDITION",
    `The step condition ${JSON.stringify(text)} has no Jenkins form`,
    "Jenkins runs status-dependent steps in post blocks (always, failure, aborted); a status function combined with || or !, or two of them, cannot be placed in one. The step was rendered without the condition.",
    'Use one status function ANDed with the rest, e.g. failure() && branch == \'main\', or set jenkins = { post = "…", if = "…" } on the step.',
    at,
  );
}
