import { compareStrings, type JsonMap } from "./json-value.js";

// The readable key order of every mapping this provider writes. Keys listed
// come first, in this order; any other key (from a `buildkite = { ... }`
// provider table) follows, sorted by name. docs/providers/buildkite.md
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
export const DOCKER_KEY_ORDER = ["image", "network", "propagate-environment", "workdir"] as const;

/** The cache plugin's options. */
export const CACHE_KEY_ORDER = ["path", "manifest", "key-extra", "restore", "save", "soft-fail"] as const;

/** `map` with the keys in `order` first, in that order, then the rest sorted by name. */
export function orderKeys(map: JsonMap, order: readonly string[]): JsonMap {
  const out: JsonMap = {};
  for (const key of order) {
    const value = map[key];
    if (value !== undefined) out[key] = value;
  }
  const known = new Set(order);
  for (const key of Object.keys(map)
    .filter((k) => !known.has(k))
    .sort(compareStrings)) {
    out[key] = map[key] as JsonMap[string];
  }
  return out;
}
