// The readable key order of every mapping this provider writes. Keys listed
// come first, in this order; any other key (from a `circleci = { ... }`
// provider table) follows, sorted by name (`orderKeys`, @cig/sdk). docs/providers/circleci.md
// documents the same lists: change both together.

/** Top level, in the order CircleCI's own examples use (`setup` only in the bootstrap of skippable jobs). */
export const CONFIG_KEY_ORDER = ["version", "setup", "orbs", "executors", "commands", "parameters", "jobs", "workflows"] as const;

/**
 * A job definition: its parameters (the matrix axes), where it runs (executor
 * keys), then its environment and the steps last because they are the
 * longest part.
 */
export const JOB_KEY_ORDER = [
  "parameters",
  "executor",
  "docker",
  "machine",
  "macos",
  "resource_class",
  "shell",
  "working_directory",
  "parallelism",
  "environment",
  "steps",
] as const;

/** A workflow job entry: which variant it is (name, matrix values), after what, with which secrets, when. */
export const INVOCATION_KEY_ORDER = ["name", "requires", "context", "filters"] as const;

/** A `run:` step: identity, settings, and `command` last so that a `|` block ends the step. */
export const RUN_KEY_ORDER = [
  "name",
  "shell",
  "working_directory",
  "environment",
  "no_output_timeout",
  "when",
  "background",
  "command",
] as const;

/** A secondary (service) container. */
export const CONTAINER_KEY_ORDER = ["image", "name", "entrypoint", "command", "user", "environment", "auth", "aws_auth"] as const;

/** Cache steps. */
export const CACHE_KEY_ORDER = ["name", "keys", "key", "paths", "when"] as const;

/** `filters:` of a workflow job. */
export const FILTER_KEY_ORDER = ["branches", "tags"] as const;
