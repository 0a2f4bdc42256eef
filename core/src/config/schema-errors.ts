import type { Diagnostic } from "@cig/proto";
import type { ErrorObject } from "ajv";
import { type ConfigCode, type ConfigProblem, configDiagnostic } from "./config-codes.js";
import { suggestKey } from "./did-you-mean.js";
import { type DocPath, formatPath, fromPointer } from "./document-path.js";
import type { PlainTable } from "./parse-toml.js";
import type { SourceMap } from "./source-map.js";
import { unknownKeyProblem } from "./unknown-key.js";
import { describeTypes, describeValue, sanitizeName, typeHint } from "./value-words.js";

// Combinators in cig.schema.json exist for editors only; semantic-checks.ts checks
// the same rules (a step's run/uses) with one precise message instead of Ajv's
// branch-by-branch noise. propertyNames repeats its inner pattern error.
const EDITOR_ONLY = new Set(["oneOf", "anyOf", "allOf", "not", "if", "dependencies", "propertyNames"]);

interface Context {
  data: PlainTable;
  map: SourceMap;
}

/**
 * Turns Ajv's errors into one diagnostic per real problem, each in words
 * (`jobs.test.timeout must be a whole number of minutes, got "10m"`), at the
 * offending key (unknown keys, bad names) or value (wrong types), with a hint.
 */
export function translateSchemaErrors(errors: readonly ErrorObject[], data: PlainTable, map: SourceMap): Diagnostic[] {
  const cx: Context = { data, map };
  const byPlace = new Map<string, { rank: number; problem: ConfigProblem }>();
  for (const error of errors) {
    if (EDITOR_ONLY.has(error.keyword) || /\/(oneOf|anyOf|not)\//.test(error.schemaPath)) continue;
    // The version check (version-check.ts) owns everything about `version`.
    if (error.instancePath.startsWith("/version") || (error.keyword === "required" && error.params.missingProperty === "version")) continue;
    const translated = translate(error, cx);
    // A float where a string belongs trips both `type` and `x-cig-no-float`; the latter says it better.
    const place = `${error.instancePath}\u0000${translated.rank > 0 ? "value" : translated.problem.title}`;
    const seen = byPlace.get(place);
    if (!seen || translated.rank > seen.rank) byPlace.set(place, translated);
  }
  return [...byPlace.values()].map((t) => configDiagnostic(t.problem));
}

/** One Ajv error in words; `rank` orders two translations of one value's problem (higher wins). */
function translate(error: ErrorObject, cx: Context): { rank: number; problem: ConfigProblem } {
  const path = fromPointer(error.instancePath, cx.data);
  const schema = (error.parentSchema ?? {}) as Record<string, unknown>;
  const expected = typeof schema["x-cig-expected"] === "string" ? schema["x-cig-expected"] : describeTypes(schema.type);
  const raw = cx.map.raw(path);
  const got = describeValue(error.data, raw);
  const at = formatPath(path);
  const valueLoc = cx.map.locate(path);
  const problem = (code: ConfigCode, title: string, hint: string, rank = 0, loc = valueLoc) => ({
    rank,
    problem: { code, title, hint, loc },
  });
  switch (error.keyword) {
    case "additionalProperties": {
      const known = Object.keys((schema.properties ?? {}) as object);
      return { rank: 0, problem: unknownKeyProblem(path, String(error.params.additionalProperty), known, cx.map) };
    }
    case "type": {
      const types = Array.isArray(schema.type) ? schema.type.map(String) : [String(schema.type)];
      return problem("CIG_CONFIG_TYPE", `${at} must be ${expected}, got ${got}`, typeHint(types, expected, error.data, raw, path), 1);
    }
    case "x-cig-no-float":
      return {
        rank: 2,
        problem: {
          code: "CIG_CONFIG_TYPE",
          title: `${at} must be a string, got the float ${raw ?? got}`,
          message: `TOML reads ${raw ?? got} as a number, which loses trailing zeros (3.10 becomes 3.1), so cig refuses floats where it needs text.`,
          hint: `Quote it: ${JSON.stringify(raw ?? got)}.`,
          loc: valueLoc,
        },
      };
    case "enum": {
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      const close = typeof error.data === "string" ? suggestKey(error.data, allowed) : undefined;
      const list = allowed.map((v) => JSON.stringify(v)).join(", ");
      return problem(
        "CIG_CONFIG_VALUE",
        `${at} must be one of ${list}, got ${got}`,
        close ? `Did you mean "${close}"?` : `Use one of ${list}.`,
      );
    }
    case "required": {
      const missing = String(error.params.missingProperty);
      const about = ((schema.properties ?? {}) as Record<string, { description?: string }>)[missing]?.description ?? "";
      const where = path.length === 0 ? "cig.toml" : at;
      return problem(
        "CIG_CONFIG_MISSING_KEY",
        `${where} is missing the required key "${missing}"`,
        `Add ${missing} = …${about ? `: ${about.charAt(0).toLowerCase()}${about.slice(1)}` : "."}`,
        0,
        cx.map.locateKey(path),
      );
    }
    case "pattern": {
      if (error.propertyName !== undefined) return badName(path, error.propertyName, schema, expected, cx);
      const code = (schema["x-cig-code"] as ConfigCode | undefined) ?? "CIG_CONFIG_VALUE";
      const hint =
        code === "CIG_CONFIG_VALUE" || typeof error.data !== "string" ? `Use ${expected}.` : renameHint(error.data, schema, expected);
      return problem(code, `${at} must be ${expected}, got ${got}`, hint);
    }
    case "minimum":
      return problem(
        "CIG_CONFIG_VALUE",
        `${at} must be at least ${error.params.limit}, got ${got}`,
        `Use ${expected} of at least ${error.params.limit}.`,
      );
    case "minLength":
      return problem("CIG_CONFIG_VALUE", `${at} must not be empty`, "Give it a value, or remove the key.");
    case "minItems":
      return problem("CIG_CONFIG_VALUE", `${at} must list at least one value`, "Add a value, or remove the key.");
    case "minProperties": {
      const runner = "github" in ((schema.properties ?? {}) as object);
      const hint = runner ? 'Add a table per provider, e.g. github = { runs-on = "ubuntu-latest" }.' : "Add at least one key = value.";
      return problem("CIG_CONFIG_VALUE", `${at} must not be empty`, hint);
    }
    case "uniqueItems": {
      const later = Math.max(Number(error.params.i), Number(error.params.j));
      const item = Array.isArray(error.data) ? error.data[later] : undefined;
      const loc = cx.map.locate([...path, later]);
      return problem("CIG_CONFIG_DUPLICATE", `${at} lists ${describeValue(item, undefined)} twice`, "Remove the second one.", 0, loc);
    }
    default:
      return problem("CIG_CONFIG_VALUE", `${at} ${error.message ?? "is not valid"}`, "See docs/cig-toml.md for what this key accepts.");
  }
}

/** A table key that breaks its naming rule: a job id, runner, cache, env or matrix axis name. */
function badName(parent: DocPath, name: string, schema: Record<string, unknown>, expected: string, cx: Context) {
  const code = (schema["x-cig-code"] as ConfigCode | undefined) ?? "CIG_CONFIG_BAD_NAME";
  const what = code === "CIG_CONFIG_BAD_JOB_ID" ? "job id" : `name in ${formatPath(parent) || "cig.toml"}`;
  const hint = renameHint(name, schema, expected);
  return {
    rank: 0,
    problem: {
      code,
      title: `${JSON.stringify(name)} is not a valid ${what}`,
      message: `A ${what} must be ${expected}.`,
      hint,
      loc: cx.map.locateKey([...parent, name]),
    } satisfies ConfigProblem,
  };
}

/** "Rename it, e.g. "bad-id"." when cleaning the name up yields a valid one. */
function renameHint(name: string, schema: Record<string, unknown>, expected: string): string {
  const pattern = String(schema.pattern ?? "");
  const fixed = sanitizeName(name, pattern.includes("."));
  return new RegExp(pattern).test(fixed) ? `Rename it, e.g. "${fixed}".` : `Rename it to ${expected}.`;
}
