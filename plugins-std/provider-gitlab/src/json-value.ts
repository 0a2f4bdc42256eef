import type { UsesAction } from "@cig/proto";

/** A JSON value, the shape of everything this provider renders. */
export type Json = string | number | boolean | null | Json[] | JsonMap;
/** A JSON object. */
export interface JsonMap {
  [key: string]: Json;
}

/** A google.protobuf.Value as protobuf-es delivers it inside maps. */
type ProtoValue = UsesAction["with"][string];

/** True for a JSON object (not null, not an array). */
export function isJsonMap(value: unknown): value is JsonMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Converts a google.protobuf.Value to JSON, with object keys sorted (protobuf maps have no order). */
export function valueToJson(value: ProtoValue | undefined): Json {
  const kind = value?.kind;
  switch (kind?.case) {
    case "numberValue":
    case "stringValue":
    case "boolValue":
      return kind.value;
    case "structValue":
      return sortedMap(Object.entries(kind.value.fields).map(([k, v]) => [k, valueToJson(v)]));
    case "listValue":
      return kind.value.values.map(valueToJson);
    default:
      return null;
  }
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

/** Deep copy with every object's keys sorted: for Structs, whose key order protobuf leaves open. */
export function sortKeysDeep(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (isJsonMap(value)) return sortedMap(Object.entries(value).map(([k, v]) => [k, sortKeysDeep(v)]));
  return value;
}

/** A provider table (a google.protobuf.Struct as plain JSON) with its keys sorted; {} when absent. */
export function tableOf(struct: Readonly<Record<string, unknown>> | undefined): JsonMap {
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
 * Like {@link deepMerge}, but lists are concatenated (duplicates dropped):
 * for several steps' tables adding to one job key (two steps each adding
 * `artifacts.paths`), where replacing would lose the first step's paths.
 */
export function mergeAppending(base: JsonMap, over: JsonMap): JsonMap {
  const out: JsonMap = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    if (isJsonMap(prev) && isJsonMap(v)) out[k] = mergeAppending(prev, v);
    else if (Array.isArray(prev) && Array.isArray(v)) {
      const seen = new Set(prev.map((x) => JSON.stringify(x)));
      out[k] = [...prev, ...v.filter((x) => !seen.has(JSON.stringify(x)))];
    } else out[k] = v;
  }
  return out;
}

/** Sets `key` only when `value` carries information (not undefined, "", 0, false, null or empty). */
export function setIf(target: JsonMap, key: string, value: Json | undefined): void {
  if (value === undefined || value === "" || value === 0 || value === false || value === null) return;
  if (Array.isArray(value) && value.length === 0) return;
  if (isJsonMap(value) && Object.keys(value).length === 0) return;
  target[key] = value;
}

/** A deep copy of `value` with `bind` applied to every string: matrix placeholders in provider tables. */
export function bindDeep(value: Json, bind: (s: string) => string): Json {
  if (typeof value === "string") return bind(value);
  if (Array.isArray(value)) return value.map((v) => bindDeep(v, bind));
  if (isJsonMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bindDeep(v, bind)]));
  return value;
}
