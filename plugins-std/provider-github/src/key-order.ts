// The readable key order of every mapping this provider writes. Keys listed
// come first, in this order; any other key (from a `github = { ... }`
// passthrough table) follows, sorted by name (`orderKeys`, @cig/sdk). docs/providers/github.md
// documents the same lists: change both together.

/** Top level: what the workflow is, when it runs, with which rights, then the work. */
export const WORKFLOW_KEY_ORDER = ["name", "run-name", "on", "permissions", "concurrency", "defaults", "env", "jobs"] as const;

/** `on:` events, the common ones first. */
export const TRIGGER_KEY_ORDER = ["push", "pull_request", "merge_group", "schedule", "workflow_dispatch"] as const;

/** Filters inside one event. */
export const TRIGGER_FILTER_KEY_ORDER = [
  "types",
  "branches",
  "branches-ignore",
  "tags",
  "tags-ignore",
  "paths",
  "paths-ignore",
  "inputs",
] as const;

/**
 * A job: identity and ordering first (name, needs, if), then where it runs
 * (runs-on, strategy, container, services), limits, environment, and the
 * steps last because they are the longest part.
 */
export const JOB_KEY_ORDER = [
  "name",
  "needs",
  "if",
  "runs-on",
  "strategy",
  "environment",
  "permissions",
  "concurrency",
  "timeout-minutes",
  "continue-on-error",
  "container",
  "services",
  "defaults",
  "env",
  "outputs",
  "steps",
  "uses",
  "with",
  "secrets",
] as const;

/** A step: what it is called and when it runs, what it does, then its settings; `run` last so block scalars end the step. */
export const STEP_KEY_ORDER = [
  "name",
  "id",
  "if",
  "uses",
  "with",
  "working-directory",
  "shell",
  "env",
  "timeout-minutes",
  "continue-on-error",
  "run",
] as const;

/** A service or job container. */
export const CONTAINER_KEY_ORDER = ["image", "credentials", "env", "ports", "volumes", "options"] as const;

/** `strategy:`; the matrix itself keeps the order render-matrix gives it (axes, then include, exclude). */
export const STRATEGY_KEY_ORDER = ["matrix", "fail-fast", "max-parallel"] as const;

/** `concurrency:` at workflow or job level. */
export const CONCURRENCY_KEY_ORDER = ["group", "cancel-in-progress"] as const;
