// The readable key order of every mapping this provider writes. Keys listed
// come first, in this order; any other key (from a `buildkite = { ... }`
// provider table) follows, sorted by name (`orderKeys`, @cig/sdk). docs/providers/buildkite.md
// documents the same lists: change both together.

/** Top level: pipeline-wide environment, then the steps. */
export const PIPELINE_KEY_ORDER = ["env", "agents", "steps"] as const;

/**
 * A command step: what it is (label, key), when it runs (depends_on, if,
 * allow_dependency_failure), where (agents), limits, environment, plugins,
 * and the commands last because they are the longest part.
 */
export const STEP_KEY_ORDER = [
  "label",
  "key",
  "depends_on",
  "if",
  "allow_dependency_failure",
  "agents",
  "timeout_in_minutes",
  "soft_fail",
  "env",
  "plugins",
  "commands",
] as const;

/** The docker plugin's options. */
export const DOCKER_KEY_ORDER = ["image", "network", "propagate-environment", "volumes", "workdir"] as const;

/** The cache plugin's options. */
export const CACHE_KEY_ORDER = ["path", "manifest", "key-extra", "restore", "save", "soft-fail"] as const;
