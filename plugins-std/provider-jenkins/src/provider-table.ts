import { isJsonMap, type JsonMap, sortKeysDeep } from "@cig/sdk";

/** A provider table (a Struct from a passthrough map) as a JSON map with sorted keys; {} when absent. */
export function providerTable(tables: Readonly<Record<string, unknown>> | undefined, provider: string): JsonMap {
  const table = tables?.[provider];
  return isJsonMap(table) ? (sortKeysDeep(table) as JsonMap) : {};
}

/** `map` without `keys`. */
export function omitKeys(map: JsonMap, keys: readonly string[]): JsonMap {
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(map)) if (!keys.includes(k)) out[k] = v;
  return out;
}
