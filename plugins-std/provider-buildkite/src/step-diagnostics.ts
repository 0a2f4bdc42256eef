import { type Diag, emptyStepDiag, errorDiag, type StepTarget, warningDiag } from "@cig/sdk";
import { SETUP_TOOLS } from "./setup-tool-image.js";

// The diagnostics of job and step rendering, one builder per code so that the
// wording of each lives in one place. Codes are listed in docs/providers/buildkite.md.

/** The job or step a diagnostic points at. */
export type At = StepTarget;

/** A condition outside the portable language, with no Buildkite equivalent in the provider table. */
export function nativeCondition(text: string, reason: string, where: "job" | "step", at: At): Diag {
  const fix =
    where === "job"
      ? "Write it portably (branch == 'main', event == 'push', …) or set the Buildkite conditional in the job's table: buildkite = { if = \"build.branch == \\\"main\\\"\" }."
      : 'Write it portably (always(), failure(), branch == \'main\', …) or set a shell test in the step\'s table: buildkite = { if = "[ \\"$BUILDKITE_BRANCH\\" = main ]" }.';
  return errorDiag(
    "PROVIDER_BUILDKITE_NATIVE_CONDITION",
    `The ${where} condition "${text}" is not portable`,
    `provider/buildkite translates portable conditions only (${reason}); the ${where} was rendered without it.`,
    fix,
    at,
  );
}

/** A portable condition Buildkite cannot express where it is written. */
export function unsupportedCondition(text: string, why: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_BUILDKITE_UNSUPPORTED_CONDITION",
    `The condition "${text}" cannot be expressed on Buildkite`,
    `${why} The condition was left out.`,
    "Use success() or always() at job level and status functions at step level, or set the Buildkite keys in a provider table.",
    at,
  );
}

/** A `uses` step of another platform (or an unexpanded module) without a buildkite table. */
export function foreignStep(ref: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_BUILDKITE_FOREIGN_STEP",
    `Step uses ${ref}, which Buildkite cannot run`,
    `"${ref}" is not a shell command: it is another platform's action or a cig module the core did not expand. The step was left out.`,
    'Give the step a Buildkite rendering, e.g. buildkite = { artifact_paths = ["coverage/**"] } or buildkite = { command = "…" }, or buildkite = { skip = true } to leave it out on Buildkite.',
    at,
  );
}

/** A cache step (or job.caches entry) naming no [caches.<name>] table. */
export function unknownCache(name: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_BUILDKITE_UNKNOWN_CACHE",
    `Step uses cache ${name}, which is not defined`,
    `No [caches.${name}] table reached provider/buildkite, so its paths and key are unknown; the cache was left out.`,
    `Add [caches.${name}] with paths and key_parts to cig.toml.`,
    at,
  );
}

/** A setup_tool step for a tool without a mapping. */
export function unknownTool(tool: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_BUILDKITE_UNKNOWN_TOOL",
    `No Buildkite setup is known for ${tool || "an unnamed tool"}`,
    `provider/buildkite maps setup steps for ${SETUP_TOOLS.join(", ")}; the step was left out.`,
    'Pin an image with the tool in the runner\'s buildkite table (plugins = [{ "docker#v5.13.0" = { image = "…" } }]), or install it in a run step.',
    at,
  );
}

/** A step with no action at all. */
export function emptyStep(at: At): Diag {
  return emptyStepDiag("buildkite", at);
}

/** A run step with a shell the job script cannot run it in. */
export function unsupportedShell(shell: string, at: At): Diag {
  return errorDiag(
    "PROVIDER_BUILDKITE_UNSUPPORTED_SHELL",
    `Shell ${shell} is not supported on Buildkite`,
    `provider/buildkite runs every step in the job's POSIX shell; a step with shell = "${shell}" was left out.`,
    `Call the interpreter from the command instead (e.g. run = "${shell} ./script"), or drop shell.`,
    at,
  );
}

/** A step timeout, which one Buildkite command step cannot enforce per step. */
export function stepTimeout(minutes: number, at: At): Diag {
  return warningDiag(
    "PROVIDER_BUILDKITE_STEP_TIMEOUT",
    `The step timeout of ${minutes} min is not enforced on Buildkite`,
    "All steps of a job run in one Buildkite command step, whose timeout_in_minutes covers the whole job; the step's own timeout was not rendered.",
    "Set a job timeout, or wrap the command in `timeout <n>m …`.",
    at,
  );
}

/** Several language images in one job: the docker plugin runs one. */
export function severalImages(used: string, ignored: readonly string[], at: At): Diag {
  return warningDiag(
    "PROVIDER_BUILDKITE_SEVERAL_IMAGES",
    `The job sets up tools from several images; it runs in ${used}`,
    `The docker plugin runs a job in one image: ${used} (the first tool set up). ${ignored.join(", ")} ${ignored.length === 1 ? "is" : "are"} not in it.`,
    'Pin an image with every tool in the runner\'s or job\'s buildkite table (plugins = [{ "docker#v5.13.0" = { image = "…" } }]).',
    at,
  );
}

/** Services and tool images together: the sidecars need the agent host, so the job runs there. */
export function toolsOnHost(images: readonly string[], at: At): Diag {
  return warningDiag(
    "PROVIDER_BUILDKITE_TOOLS_ON_HOST",
    "A job with services runs on the agent host, not in a tool image",
    `Service containers are started from the job script with the host's docker, so the job's commands run on the agent itself; the tools of ${images.join(", ")} must be installed there.`,
    'Target agents that have the tools (buildkite = { agents = { queue = "…" } } on the runner), or pin an image that has them and start the services yourself.',
    at,
  );
}

/** A cache key part that is a glob: the cache plugin hashes paths, not patterns. */
export function cacheGlob(cache: string, part: string, at: At): Diag {
  return warningDiag(
    "PROVIDER_BUILDKITE_CACHE_GLOB",
    `Cache ${cache} keys on the glob ${part}`,
    "The cache plugin hashes the files and folders its manifest names, without expanding globs; this manifest entry will not match a file.",
    "Name the file or folder in key_parts (e.g. package-lock.json, or a folder to hash everything in it).",
    at,
  );
}

/** A key of a service's buildkite table that the sidecar rendering has no place for. */
export function ignoredServiceKey(service: string, key: string, at: At): Diag {
  return warningDiag(
    "PROVIDER_BUILDKITE_IGNORED_KEY",
    `Service ${service}: buildkite.${key} is not used`,
    `Services run as sidecar containers started by \`docker run\`; their buildkite table may set options (extra docker run flags) only, so ${key} was not rendered.`,
    `Express it as docker run flags: buildkite = { options = "…" }.`,
    at,
  );
}
