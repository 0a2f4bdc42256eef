import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from "ajv";
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
let validator: ValidateFunction | undefined;
// Float literals are a fact of the TOML text, not of the data Ajv sees (3.0 === 3);
// the x-cig-no-float keyword consults this set for the document being validated.
let floatPointers: ReadonlySet<string> = new Set();

/** The parsed cig.toml JSON Schema (read once). */
export function cigSchema(): SchemaObject {
  schema ??= JSON.parse(readFileSync(CIG_SCHEMA_PATH, "utf8")) as SchemaObject;
  return schema;
}

/**
 * An Ajv instance that knows cig's keywords. `strict: false` because the
 * schema is written for editors too (union types, annotations); `verbose`
 * so that every error carries its schema node for the human message. The
 * validator runs once per process, so Ajv's code optimiser costs more
 * (~25 ms of compile time) than it saves.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, code: { optimize: false } });
  ajv.addKeyword({ keyword: "x-cig-expected", schemaType: "string" });
  ajv.addKeyword({ keyword: "x-cig-code", schemaType: "string" });
  ajv.addKeyword({
    keyword: "x-cig-no-float",
    schemaType: "boolean",
    errors: false,
    validate: (enabled: boolean, _data: unknown, _parent: unknown, cxt?: { instancePath: string }) =>
      !enabled || cxt === undefined || !floatPointers.has(cxt.instancePath),
  });
  return ajv;
}

/**
 * Checks the document's structure against the schema and returns Ajv's raw
 * errors (all of them); `floats` are the JSON Pointers of float literals.
 */
export function validateStructure(data: PlainTable, floats: ReadonlySet<string>): ErrorObject[] {
  validator ??= createAjv().compile(cigSchema());
  floatPointers = floats;
  try {
    validator(data);
    return [...(validator.errors ?? [])];
  } finally {
    floatPointers = new Set();
  }
}
