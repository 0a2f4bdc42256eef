import { isJsonMap, type Json } from "@cig/sdk";

/** A deep copy of `value` with `bind` applied to every string: matrix placeholders in provider tables. */
export function bindDeep(value: Json, bind: (s: string) => string): Json {
  if (typeof value === "string") return bind(value);
  if (Array.isArray(value)) return value.map((v) => bindDeep(v, bind));
  if (isJsonMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bindDeep(v, bind)]));
  return value;
}
