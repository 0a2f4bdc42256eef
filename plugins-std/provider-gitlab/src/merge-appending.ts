import { isJsonMap, type JsonMap } from "@cig/sdk";

/**
 * Like `deepMerge` (@cig/sdk), but lists are concatenated (duplicates dropped):
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
