import { isJsonMap, type JsonMap } from "./json-value.js";

// The two ways a provider table meets what cig rendered. Provider tables
// (`github = { … }` on a job or step) are the user's escape hatch: laid over
// cig's output they must win key by key without wiping sibling keys, and laid
// under it (runner defaults) they must fill gaps only. Lists are values, not
// sets: a list in the winning table replaces the other whole.

/**
 * `over` merged into `base`: objects merge key by key, anything else in
 * `over` (scalars, lists, null) replaces. Base keys keep their position; new
 * keys follow in `over`'s order. Neither argument is modified.
 */
export function deepMerge(base: JsonMap, over: JsonMap): JsonMap {
  const out: JsonMap = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isJsonMap(prev) && isJsonMap(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

/**
 * `defaults` merged under `base`: `base` wins, objects merge key by key, and
 * base keys come first so that cig's own keys lead and defaults follow.
 * A key `base` has with a non-object value is kept as is, even where the
 * default is an object. Neither argument is modified.
 */
export function fillDefaults(base: JsonMap, defaults: JsonMap): JsonMap {
  const out: JsonMap = { ...base };
  for (const [k, v] of Object.entries(defaults)) {
    const own = out[k];
    if (own === undefined) out[k] = v;
    else if (isJsonMap(own) && isJsonMap(v)) out[k] = fillDefaults(own, v);
  }
  return out;
}
