import type { UsesAction } from "@cig/proto";

/** A JSON value: the shape of provider tables (protobuf Structs) once read. */
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

/** Converts a google.protobuf.Value to JSON. */
export function valueToJson(value: ProtoValue | undefined): Json {
  const kind = value?.kind;
  switch (kind?.case) {
    case "numberValue":
    case "stringValue":
    case "boolValue":
      return kind.value;
    case "structValue":
      return Object.fromEntries(Object.entries(kind.value.fields).map(([k, v]) => [k, valueToJson(v)]));
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

/**
 * Code-unit order, except that runs of digits compare as numbers, so that
 * `test-ruby3.2` comes before `test-ruby3.10` as a reader expects. Still a
 * total, locale-independent order: equal numbers fall back to code units.
 */
export function naturalCompare(a: string, b: string): number {
  const split = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const pa = split(a);
  const pb = split(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    }
    const c = compareStrings(x, y);
    if (c !== 0) return c;
  }
  return pa.length - pb.length || compareStrings(a, b);
}

/** Deep copy with every object's keys sorted: protobuf Structs have no key order. */
export function sortKeysDeep(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (isJsonMap(value)) {
    const out: JsonMap = {};
    for (const k of Object.keys(value).sort(compareStrings)) out[k] = sortKeysDeep(value[k] as Json);
    return out;
  }
  return value;
}

/** A provider table (a Struct from a passthrough map) as a JSON map with sorted keys; {} when absent. */
export function providerTable(tables: Readonly<Record<string, unknown>> | undefined, provider: string): JsonMap {
  const table = tables?.[provider];
  return isJsonMap(table) ? (sortKeysDeep(table) as JsonMap) : {};
}

/** `over` merged into `base`: objects merge key by key, anything else in `over` replaces. */
export function deepMerge(base: JsonMap, over: JsonMap): JsonMap {
  const out: JsonMap = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isJsonMap(prev) && isJsonMap(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

/** `map` without `keys`. */
export function omitKeys(map: JsonMap, keys: readonly string[]): JsonMap {
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(map)) if (!keys.includes(k)) out[k] = v;
  return out;
}
