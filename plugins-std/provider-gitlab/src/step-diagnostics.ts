import { type Diag, emptyStepDiag, errorDiag, type StepTarget, warningDiag } from "@cig/sdk";
import { SETUP_TOOLS } from "./render-setup-tools.js";

// The diagnostics of step and job rendering, one builder per code so that
// the wording of each lives in one place. Codes are listed in
// docs/providers/gitlab.md#diagnostics.

/** The step (or job) a diagnostic points at. */
export type At = StepTarget;

/** A `uses` naming a cig module, which the core should have expanded before generate. */
export function unresolvedModule(ref: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_GITLAB_UNRESOLVED_MODULE",
    `Step uses the cig module ${ref}, which was not expanded`,
    `"${ref}" is a cig module reference (a name with a version range). The core replaces module steps before generate; this one reached provider/gitlab unexpanded and was left out.`,
    "Check that the module's plugin is installed and enabled (`cig plugin info`).",
    at,
  );
}

/** A `uses` of another platform's action without a gitlab table saying what it is on GitLab. */
export function foreignStep(ref: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_GITLAB_FOREIGN_STEP",
    `Step uses ${ref}, which GitLab cannot run`,
    `${ref} is another platform's action; GitLab CI has no equivalent to run it, so the step was left out.`,
    `Say what the step is on GitLab with a gitlab table on it: gitlab = { script = ["…"] } for commands, job keys such as gitlab = { artifacts = { paths = ["dist/"] } }, or gitlab = { skip = true } to leave it out on purpose.`,
    at,
  );
}

/** A condition that is not portable, with no gitlab equivalent in the table. */
export function nativeCondition(condition: string, reason: string, where: "job" | "step", at: At): Diag {
  return errorDiag(
    "PROVIDER_GITLAB_NATIVE_CONDITION",
    `The ${where} condition ${JSON.stringify(condition)} is not portable`,
    `It is not in cig's portable condition language (${reason}), so provider/gitlab cannot translate it; the ${where} was rendered without it.`,
    where === "job"
      ? `Write it portably (e.g. branch == 'main', event == 'push', always()), or set the GitLab rules yourself: gitlab = { rules = [{ if = '$CI_COMMIT_BRANCH == "main"' }] }.`
      : `Write it portably (e.g. branch == 'main', failure()), or give the step a shell test for GitLab: gitlab = { if = '[ "$CI_COMMIT_BRANCH" = main ]' }.`,
    at,
  );
}

/** A portable condition GitLab's job-level rules cannot express. */
export function unsupportedCondition(condition: string, reason: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_GITLAB_UNSUPPORTED_CONDITION",
    `The job condition ${JSON.stringify(condition)} has no GitLab rules equivalent`,
    `${reason}; the job was rendered without the condition.`,
    `Rewrite it as "<status>() && <ref/event test>", or set the rules yourself in a gitlab table: gitlab = { rules = [...] }.`,
    at,
  );
}

/** A condition on a step rendered only as job keys, which cannot be conditional. */
export function conditionNotApplied(condition: string, at: At): Diag {
  return warningDiag(
    "PROVIDER_GITLAB_CONDITION_NOT_APPLIED",
    `The step condition ${JSON.stringify(condition)} does not apply on GitLab`,
    "The step's gitlab table adds job keys and no script, and job keys apply to the whole job, so the condition has nothing to guard.",
    'Express it in the keys themselves (e.g. artifacts = { when = "always" }), or give the table a script.',
    at,
  );
}

/** A cache step (or job.caches entry) naming no [caches.<name>] table. */
export function unknownCache(name: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_GITLAB_UNKNOWN_CACHE",
    `The job uses cache ${name}, which is not defined`,
    `No [caches.${name}] table reached provider/gitlab, so its paths and key are unknown; the cache was left out.`,
    `Add [caches.${name}] with paths and key_parts to cig.toml.`,
    at,
  );
}

/** A setup_tool step for a tool without a GitLab mapping. */
export function unknownTool(tool: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_GITLAB_UNKNOWN_TOOL",
    `No GitLab setup is known for ${tool || "an unnamed tool"}`,
    `provider/gitlab maps setup steps for ${SETUP_TOOLS.join(", ")}; the step was left out.`,
    'Set an image that has the tool on the runner or job: gitlab = { image = "…" }, or install it in a run step.',
    at,
  );
}

/** An image tool the job's image does not have and cig cannot add. */
export function toolNotInImage(tool: string, version: string, image: string, at: At): Diag {
  return warningDiag(
    "PROVIDER_GITLAB_TOOL_NOT_IN_IMAGE",
    `${tool} ${version} is not in the job's image ${image}`,
    `A GitLab job runs in one image; this job sets up several tools, and cig can add only Node.js to another image. ${tool} was not set up.`,
    `Build or pick an image with both tools and set it on the runner or job: gitlab = { image = "…" }.`,
    at,
  );
}

/** A cache whose key has more file parts than GitLab hashes. */
export function cacheKeyFiles(name: string, dropped: readonly string[], at: At): Diag {
  return warningDiag(
    "PROVIDER_GITLAB_CACHE_KEY_FILES",
    `Cache ${name}'s key hashes only its first two files on GitLab`,
    `GitLab's cache:key:files takes at most two files; ${dropped.join(", ")} ${dropped.length === 1 ? "is" : "are"} not part of the key, so changing ${dropped.length === 1 ? "it" : "them"} alone does not refresh the cache.`,
    "Put the two files that matter most first in key_parts, or use a glob that matches fewer files.",
    at,
  );
}

/** More caches on a job than GitLab restores. */
export function tooManyCaches(dropped: readonly string[], at: At): Diag {
  return warningDiag(
    "PROVIDER_GITLAB_TOO_MANY_CACHES",
    "The job has more than four caches",
    `GitLab restores and saves at most four caches per job; ${dropped.join(", ")} ${dropped.length === 1 ? "was" : "were"} left out.`,
    "Merge caches (one cache may have several paths), or drop some from the job's caches.",
    at,
  );
}

/** A `shell` GitLab's script cannot honour. */
export function unsupportedShell(shell: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_GITLAB_UNSUPPORTED_SHELL",
    `Shell ${shell} is not available in a GitLab script`,
    `GitLab runs a job's script in the runner's shell (bash or sh); the step was rendered for that shell, not ${shell}.`,
    `Give the step a gitlab table with a script that runs it: gitlab = { script = ["${shell} ./script"] }.`,
    at,
  );
}

/** A step with no action at all. */
export function emptyStep(at: At): Diag {
  return emptyStepDiag("gitlab", at);
}

/** A service with a health check and no wait step. */
export function noHealthCheck(service: string, at: At): Diag {
  return warningDiag(
    "PROVIDER_GITLAB_HEALTH_CHECK",
    `Service ${service}'s health check is not rendered for GitLab`,
    "GitLab has no health command for services: it waits until the image's exposed ports accept connections, which a database may do before it is ready.",
    `Add a step that waits for ${service} (the db modules add "Wait for ${service}"), or use an image whose exposed port opens only when it is ready.`,
    at,
  );
}

/** `{{ matrix.x }}` naming an axis the variant lacks. */
export function unknownAxis(axes: readonly string[], matrix: Readonly<Record<string, string>>, at: At): Diag {
  const have = Object.keys(matrix).sort();
  return errorDiag(
    "PROVIDER_GITLAB_UNKNOWN_MATRIX_AXIS",
    `The job refers to matrix axes it does not have: ${axes.join(", ")}`,
    `{{ matrix.${axes[0]} }} appears in the job, but its matrix has ${have.length > 0 ? `only ${have.join(", ")}` : "no axes"}; the placeholder was left as written.`,
    "Fix the axis name, or add the axis to the job's matrix in cig.toml.",
    at,
  );
}
