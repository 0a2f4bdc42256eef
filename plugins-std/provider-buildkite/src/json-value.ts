/** A JSON value, the shape of everything this provider renders. */
export type Json = string | number | boolean | null | Json[] | JsonMap;
/** A JSON object. */
export interface JsonMap {
  [key: string]: Json;
}

/** True for a JSON object (not null, not an array). */
export function isJsonMap(value: unknown): value is JsonMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Code-unit order: locale-independent, so output is identical on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A map built from entries, keys sorted. */
export function sortedMap(entries: Iterable<[string, Json]>): JsonMap {
  const out: JsonMap = {};
  for (const [k, v] of [...entries].sort(([a], [b]) => compareStrings(a, b))) out[k] = v;
  return out;
}

/** A string map (env) with its keys sorted; undefined when empty. */
export function sortedStrings(map: Readonly<Record<string, string>>): JsonMap | undefined {
  const entries = Object.entries(map);
  return entries.length === 0 ? undefined : sortedMap(entries);
}

/** Deep copy with every object's keys sorted: for Structs, whose key order protobuf leaves open. */
export function sortKeysDeep(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (isJsonMap(value)) return sortedMap(Object.entries(value).map(([k, v]) => [k, sortKeysDeep(v)]));
  return value;
}

/** A protobuf Struct as protobuf-es delivers it (already a plain JSON object), keys sorted; {} when absent. */
export function structToJson(struct: Readonly<Record<string, unknown>> | undefined): JsonMap {
  return struct ? (sortKeysDeep(struct as JsonMap) as JsonMap) : {};
}

/**
 * `over` merged into `base`: objects merge key by key, anything else in
 * `over` replaces. Base keys keep their position; new keys follow.
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

/** Sets `key` only when `value` carries information (not undefined, "", 0, false or empty). */
export function setIf(target: JsonMap, key: string, value: Json | undefined): void {
  if (value === undefined || value === "" || value === 0 || value === false || value === null) return;
  if (Array.isArray(value) && value.length === 0) return;
  if (isJsonMap(value) && Object.keys(value).length === 0) return;
  target[key] = value;
}

/**
 * A deep copy with every `$` in string values doubled. `buildkite-agent
 * pipeline upload` substitutes `$VAR` / `${VAR}` everywhere in the file at
 * upload time; `$$` is its escape for a literal `$`, so commands reach the
 * shell exactly as cig.toml wrote them. Keys are left alone (env names and
 * Buildkite keys never contain `$`).
 */
export function escapeDollarsDeep(value: Json): Json {
  if (typeof value === "string") return value.includes("$") ? value.replaceAll("$", "$$$$") : value;
  if (Array.isArray(value)) return value.map(escapeDollarsDeep);
  if (!isJsonMap(value)) return value;
  const out: JsonMap = {};
  for (const key of Object.keys(value)) out[key] = escapeDollarsDeep(value[key] as Json);
  return out;
}
