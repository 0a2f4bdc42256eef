// The readable key order of every mapping this provider writes. Keys listed
// come first, in this order; any other key (from a `gitlab = { ... }`
// provider table) follows, sorted by name (`orderKeys`, @cig/sdk). docs/providers/gitlab.md
// documents the same lists: change both together.

/** Top level: when the pipeline runs, its stages, global variables; the jobs follow in graph order. */
export const PIPELINE_KEY_ORDER = ["workflow", "stages", "variables", "default"] as const;

/** `workflow:`. */
export const WORKFLOW_KEY_ORDER = ["name", "rules", "auto_cancel"] as const;

/** One `rules:` entry: the test, then what it decides. */
export const RULE_KEY_ORDER = ["if", "changes", "exists", "when", "allow_failure", "variables"] as const;

/**
 * A job: where it sits in the pipeline (stage, needs) and whether it runs
 * (rules), then where it runs (image, services, tags), limits, environment,
 * caches, and the scripts last because they are the longest part.
 */
export const JOB_KEY_ORDER = [
  "stage",
  "needs",
  "rules",
  "image",
  "services",
  "tags",
  "timeout",
  "interruptible",
  "allow_failure",
  "variables",
  "cache",
  "before_script",
  "script",
  "after_script",
  "artifacts",
] as const;

/** A service entry. */
export const SERVICE_KEY_ORDER = ["name", "alias", "variables", "entrypoint", "command"] as const;

/** A cache entry. */
export const CACHE_KEY_ORDER = ["key", "paths", "policy", "when", "fallback_keys"] as const;
