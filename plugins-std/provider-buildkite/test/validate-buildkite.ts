/**
 * The check every rendered Buildkite pipeline must pass, written by nobody
 * here: Buildkite's own JSON Schema (buildkite/pipeline-schema, kept in
 * /work/shared/schemas) with Ajv. Shared by the provider's unit tests and the
 * golden/equivalence tests.
 *
 * Nothing here skips: a schema or Ajv that cannot be loaded throws, and
 * {@link assertValidatorsAlive} proves the validator rejects a broken
 * pipeline, so "no problems" can never mean "did not run".
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parseDocument } from "yaml";

/** One problem a validator found. */
export interface BuildkiteProblem {
  validator: "yaml" | "json-schema";
  message: string;
}

interface AjvValidate {
  (data: unknown): boolean;
  errors?: Array<{ instancePath: string; message?: string }> | null;
}

/** /work/shared/schemas/buildkite-pipeline.json, from this file's place in the repository. */
export const PIPELINE_SCHEMA_URL = new URL("../../../../shared/schemas/buildkite-pipeline.json", import.meta.url);

let schemaValidator: AjvValidate | undefined;
function jsonSchema(): AjvValidate {
  if (schemaValidator) return schemaValidator;
  // Ajv is a dependency of @cig/core; resolve it from there rather than adding it here.
  const coreRequire = createRequire(new URL("../../../core/package.json", import.meta.url));
  const AjvModule = coreRequire("ajv") as { default: new (opts: object) => { compile(schema: object): AjvValidate } };
  const ajv = new AjvModule.default({ strict: false, allErrors: true, logger: false });
  schemaValidator = ajv.compile(JSON.parse(readFileSync(PIPELINE_SCHEMA_URL, "utf8")) as object);
  return schemaValidator;
}

/**
 * Every problem found in `content`, one rendered pipeline file; empty when
 * it is valid YAML and Buildkite's schema accepts it. The first call also
 * runs {@link assertValidatorsAlive}, so an empty list always means "checked".
 */
export async function validateBuildkite(content: string): Promise<Array<{ validator: string; message: string }>> {
  await assertValidatorsAlive();
  return problemsOf(content);
}

function problemsOf(content: string): BuildkiteProblem[] {
  const doc = parseDocument(content, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) return doc.errors.map((e) => ({ validator: "yaml", message: e.message }));
  const validate = jsonSchema();
  if (validate(doc.toJS())) return [];
  return (validate.errors ?? []).map((e) => ({ validator: "json-schema", message: `${e.instancePath || "/"} ${e.message ?? ""}` }));
}

let alive: Promise<void> | undefined;
/** Throws unless the schema rejects pipelines broken in ways it must catch: proof that it loaded and ran. */
export function assertValidatorsAlive(): Promise<void> {
  alive ??= (async () => {
    const unknownKey = "steps:\n  - label: a\n    commandz: make\n";
    const badKey = "steps:\n  - label: a\n    key: has space\n    command: make\n";
    const noSteps = "env:\n  A: b\n";
    for (const [name, broken] of [
      ["an unknown step key", unknownKey],
      ["a step key with a space", badKey],
      ["a pipeline without steps", noSteps],
    ] as const) {
      if (problemsOf(broken).filter((p) => p.validator === "json-schema").length === 0) {
        throw new Error(`the Buildkite JSON Schema did not reject ${name}`);
      }
    }
    if (problemsOf("steps:\n  - command: make\n").length !== 0)
      throw new Error("the Buildkite JSON Schema rejected a minimal valid pipeline");
  })();
  return alive;
}
