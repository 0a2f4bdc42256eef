import { type DescMessage, type JsonObject, type JsonValue, toJson } from "@bufbuild/protobuf";
import { type JobResource, JobResourceSchema, SourceLocationSchema } from "@cig/proto";
import { compareUtf8 } from "../graph/compare-utf8.js";

// Not part of what a job does: `template` is a transport detail of plugin requests and
// `skippable` is derived from fields the definition already holds.
const TOP_LEVEL_OMIT = ["template", "skippable"];

/**
 * The canonical definition of a planned job variant, as hashed by its work
 * signature: protobuf JSON with proto field names (fields at their default
 * value are omitted, so adding a proto field changes no existing
 * signature), every SourceLocation removed at any depth (moving a job in
 * cig.toml changes nothing it does), plus `context` (settings outside the
 * job that change what it does), object keys in UTF-8 byte order, no
 * whitespace.
 */
export function definitionJson(job: JobResource, context: Readonly<Record<string, JsonValue>> = {}): string {
  const json = toJson(JobResourceSchema, job, { useProtoFieldName: true }) as JsonObject;
  stripLocations(json, JobResourceSchema);
  for (const key of TOP_LEVEL_OMIT) delete json[key];
  // Context keys (workflow_env, cache_tables) are no JobResource field names, so they cannot collide.
  for (const [key, value] of Object.entries(context)) json[key] = value;
  return canonicalJsonText(json);
}

/**
 * JSON text with every object's keys in UTF-8 byte order, no whitespace.
 * Written by hand: JSON.stringify puts integer-like keys ("9", "10") first
 * whatever the insertion order, which is not byte order.
 */
export function canonicalJsonText(value: JsonValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJsonText).join(",")}]`;
  const keys = Object.keys(value).sort(compareUtf8);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJsonText(value[k] as JsonValue)}`).join(",")}}`;
}

/**
 * Deletes SourceLocation fields, found through the message descriptors, so
 * a map key or Struct field that happens to be called "loc" stays.
 */
function stripLocations(json: JsonObject, desc: DescMessage): void {
  for (const field of desc.fields) {
    const value = json[field.name];
    if (value === undefined || value === null) continue;
    if (field.fieldKind === "message") {
      if (field.message.typeName === SourceLocationSchema.typeName) delete json[field.name];
      else descend(value, field.message);
    } else if (field.fieldKind === "list" && field.listKind === "message") {
      for (const item of value as JsonValue[]) descend(item, field.message);
    } else if (field.fieldKind === "map" && field.mapKind === "message") {
      for (const item of Object.values(value as JsonObject)) descend(item, field.message);
    }
  }
}

function descend(value: JsonValue, desc: DescMessage): void {
  // Well-known types (Struct, Value) are free-form JSON, not cig messages.
  if (desc.typeName.startsWith("google.protobuf.") || value === null || typeof value !== "object" || Array.isArray(value)) return;
  stripLocations(value, desc);
}
