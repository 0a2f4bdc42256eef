import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import { compareUtf8 } from "./compare-utf8.js";

// protobuf-es writes map entries and Struct fields in the key order of the JS object it is given, so
// every map cig emits is rebuilt with sorted keys: equal input must give equal bytes, however the
// parser happened to insert the keys.

/** A copy of `record` with keys inserted in UTF-8 order, its values mapped by `map`. */
export function sortedRecord<V, W = V>(record: Readonly<Record<string, V>>, map?: (value: V, key: string) => W): Record<string, W> {
  const out: Record<string, W> = {};
  for (const key of Object.keys(record).sort(compareUtf8)) {
    const value = record[key] as V;
    out[key] = map ? map(value, key) : (value as unknown as W);
  }
  return out;
}

/** A deep copy of a JSON value with every object's keys in UTF-8 order; arrays keep their order. */
export function canonicalJson(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (value !== null && typeof value === "object") return canonicalObject(value);
  return value;
}

/** {@link canonicalJson} for an object. */
export function canonicalObject(value: JsonObject): JsonObject {
  return sortedRecord(value, (v) => canonicalJson(v as JsonValue)) as JsonObject;
}

/** A `map<string, google.protobuf.Struct>` (passthrough, runner tables) in canonical order. */
export function canonicalStructMap(map: Readonly<Record<string, JsonObject>>): Record<string, JsonObject> {
  return sortedRecord(map, canonicalObject);
}
