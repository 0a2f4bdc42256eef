import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ErrorObject, SchemaObject } from "ajv";
import { validate } from "../../gen/cig-schema-validate.mjs";
import type { PlainTable } from "./parse-toml.js";

/**
 * Absolute path of the published JSON Schema of cig.toml. It sits outside
 * src/ so that editors (Taplo, Even Better TOML) can use the very file the
 * core checks with; from src/config and dist/config alike it is ../../schema.
 */
export const CIG_SCHEMA_PATH = fileURLToPath(new URL("../../schema/cig.schema.json", import.meta.url));

/**
 * Keywords cig adds to its schema. Editors ignore them; the loader reads them:
 * `x-cig-expected` phrases what a value must be ("a whole number of minutes"),
 * `x-cig-code` picks the diagnostic code of a pattern, and `x-cig-no-float`
 * refuses TOML floats where a string belongs (3.10 would arrive as 3.1, 3.0 as 3).
 */
export const CIG_KEYWORDS = ["x-cig-expected", "x-cig-code", "x-cig-no-float"] as const;

let schema: SchemaObject | undefined;

/** The parsed cig.toml JSON Schema (read once). */
export function cigSchema(): SchemaObject {
  schema ??= JSON.parse(readFileSync(CIG_SCHEMA_PATH, "utf8")) as SchemaObject;
  return schema;
}

/**
 * Checks the document's structure against the schema and returns Ajv's raw
 * errors (all of them); `floats` are the JSON Pointers of float literals
 * (a fact of the TOML text, not of the data Ajv sees: 3.0 === 3), which the
 * x-cig-no-float keyword reads from `this`. The validator is precompiled from
 * the schema by scripts/generate-validator.mjs (Ajv with `strict: false`
 * for a schema written for editors too, `allErrors`, and `verbose` so that
 * every error carries its schema node for the human message): compiling it
 * here cost every command ~90 ms, and loading Ajv's compiler ~55 ms.
 */
export function validateStructure(data: PlainTable, floats: ReadonlySet<string>): ErrorObject[] {
  validate.call({ floats }, data);
  return [...(validate.errors ?? [])];
}
