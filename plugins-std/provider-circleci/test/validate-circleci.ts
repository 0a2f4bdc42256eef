/**
 * The check every rendered CircleCI config must pass, written by nobody
 * here: CircleCI's published JSON Schema (from circleci-yaml-language-server,
 * /work/shared/schemas/circleci-config.json, see SOURCES.md there) with Ajv.
 * Shared by the provider's unit tests and the golden/equivalence tests.
 *
 * Nothing here skips: a schema that cannot be loaded throws, and
 * {@link assertValidatorsAlive} proves the validator rejects broken configs,
 * so "no problems" can never mean "did not run".
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parse } from "yaml";

/** One problem a validator found. */
export interface CircleciProblem {
  validator: "json-schema" | "yaml";
  message: string;
}

interface AjvValidate {
  (data: unknown): boolean;
  errors?: Array<{ instancePath: string; message?: string }> | null;
}

/** /work/shared/schemas/circleci-config.json, from this file's place in the repository. */
export const CIRCLECI_SCHEMA_URL = new URL("../../../../shared/schemas/circleci-config.json", import.meta.url);

let schemaValidator: AjvValidate | undefined;
function jsonSchema(): AjvValidate {
  if (schemaValidator) return schemaValidator;
  // Ajv is a dependency of @cig/core; resolve it from there rather than adding it here.
  const coreRequire = createRequire(new URL("../../../core/package.json", import.meta.url));
  const AjvModule = coreRequire("ajv") as { default: new (opts: object) => { compile(schema: object): AjvValidate } };
  const ajv = new AjvModule.default({ strict: false, allErrors: true, formats: { uri: true } });
  schemaValidator = ajv.compile(JSON.parse(readFileSync(CIRCLECI_SCHEMA_URL, "utf8")) as object);
  return schemaValidator;
}

/**
 * Every problem found in `content`, one rendered `.circleci/config.yml`;
 * empty when it is valid YAML that the schema accepts. The first call also
 * runs {@link assertValidatorsAlive}.
 */
export async function validateCircleci(content: string): Promise<CircleciProblem[]> {
  await assertValidatorsAlive();
  return problemsOf(content);
}

function problemsOf(content: string): CircleciProblem[] {
  let doc: unknown;
  try {
    // YAML 1.1 as well as 1.2 must read the same document; merge keys (<<) are CircleCI's 1.1 heritage.
    doc = parse(content, { merge: true });
    const doc11 = parse(content, { version: "1.1", merge: true });
    if (JSON.stringify(doc11) !== JSON.stringify(doc)) {
      return [{ validator: "yaml", message: "a YAML 1.1 reader reads this config differently from a YAML 1.2 reader" }];
    }
  } catch (e) {
    return [{ validator: "yaml", message: (e as Error).message }];
  }
  const validate = jsonSchema();
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => ({
    validator: "json-schema" as const,
    message: `${e.instancePath || "/"} ${e.message ?? ""}`,
  }));
}

let alive: Promise<void> | undefined;
/** Throws unless the validator reports configs that are broken in ways the schema is sure to catch: proof that it loaded and ran. */
export function assertValidatorsAlive(): Promise<void> {
  alive ??= (async () => {
    const ok =
      "version: 2.1\njobs:\n  a:\n    docker:\n      - image: cimg/base:current\n    steps:\n      - checkout\nworkflows:\n  w:\n    jobs:\n      - a\n";
    const badJobKey = ok.replace("    steps:", "    stepz: []\n    steps:");
    const noVersion = ok.replace("version: 2.1\n", "");
    const badName = ok.replace("  a:\n", "  a.b:\n");
    if (problemsOf(ok).length !== 0)
      throw new Error(`the CircleCI schema rejected a minimal valid config: ${JSON.stringify(problemsOf(ok))}`);
    if (problemsOf(badJobKey).length === 0) throw new Error("the CircleCI schema did not reject an unknown job key");
    if (problemsOf(noVersion).length === 0) throw new Error("the CircleCI schema did not reject a config without version");
    if (problemsOf(badName).length === 0) throw new Error("the CircleCI schema did not reject a job name with a dot");
  })();
  return alive;
}
