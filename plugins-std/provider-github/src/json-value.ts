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

/** A string map (env, permissions) with its keys sorted; undefined when empty. */
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
 * JSON text with object keys sorted at every level, for equality checks on
 * protobuf messages (whose map fields have no defined order).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (v instanceof Uint8Array) return Array.from(v);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      const rec = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(rec)
          .sort(compareStrings)
          .map((k) => [k, rec[k]]),
      );
    }
    return v;
  });
}

/**
 * Structural equality of protobuf-es messages and plain data: map fields
 * compare as sets of keys (they have no defined order), everything else by
 * value; keys in `ignore` are skipped at the top level only. Stops at the
 * first difference and builds no strings: grouping 5,000 matrix variants
 * with {@link canonicalJson} cost ~300 ms, this a few.
 */
export function deepEqual(a: unknown, b: unknown, ignore?: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let count = 0;
  for (const k in ra) {
    if (ignore?.has(k)) continue;
    // undefined and absent are the same thing to a message.
    if (ra[k] === undefined) continue;
    count++;
    if (!Object.hasOwn(rb, k) || !deepEqual(ra[k], rb[k])) return false;
  }
  for (const k in rb) if (!ignore?.has(k) && rb[k] !== undefined) count--;
  return count === 0;
}
