import type { UsesAction } from "@cig/proto";

// The JSON shapes a provider renders before writing YAML, Groovy or JSON text.
// Every helper here is deterministic: keys are ordered by code unit, never by
// locale or by protobuf's (undefined) map order, so that one cig.toml renders
// byte for byte the same on every machine.

/** A JSON value, the shape of everything a provider renders. */
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

/** A string map (env, permissions) with its keys sorted; undefined when empty, so {@link setIf} leaves it out. */
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

/**
 * A protobuf Struct as protobuf-es delivers it (already a plain JSON object,
 * e.g. a step's or job's provider table), keys sorted at every level; {} when
 * absent, so callers can read keys without a check.
 */
export function structToJson(struct: Readonly<Record<string, unknown>> | undefined): JsonMap {
  return struct ? (sortKeysDeep(struct as JsonMap) as JsonMap) : {};
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
      // nullValue, and a Value with no kind set: both mean "nothing".
      return null;
  }
}

/**
 * Sets `key` only when `value` carries information (not undefined, "", 0,
 * false, null, [] or {}): rendered files then hold what differs from the
 * platform's defaults and nothing else.
 */
export function setIf(target: JsonMap, key: string, value: Json | undefined): void {
  if (value === undefined || value === "" || value === 0 || value === false || value === null) return;
  if (Array.isArray(value) && value.length === 0) return;
  if (isJsonMap(value) && Object.keys(value).length === 0) return;
  target[key] = value;
}

/**
 * `map` with the keys of `order` first, in that order (those present), then
 * every other key in code-unit order: the conventional layout of a
 * platform's file, whatever order the renderers and provider tables built.
 */
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
    out[key] = map[key] as Json;
  }
  return out;
}
