import { isJsonMap, type Json, type JsonMap } from "@cig/sdk";

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
