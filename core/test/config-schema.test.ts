import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import fc from "fast-check";
import { parse, stringify } from "smol-toml";
import { describe, expect, it } from "vitest";
import { CIG_SCHEMA_PATH, CONFIG_CODES, cigSchema, loadConfig } from "../src/config/index.js";
import { CIG_KEYWORDS } from "../src/config/schema-validator.js";
import { REPO_ROOT } from "./process-helpers.js";

const DOC = readFileSync(join(REPO_ROOT, "docs/cig-toml.md"), "utf8");
const SEED = readFileSync(join(REPO_ROOT, "core/test/fixtures/config/seed.toml"), "utf8");

/** What an editor (Taplo) does with the schema: plain JSON Schema, cig's keywords ignored. */
function editorValidator() {
  return new Ajv({ strict: false, allErrors: true }).compile(cigSchema());
}

/** Every ```toml block of docs/cig-toml.md with its line, `version` added to fragments. */
function docExamples(): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  for (const m of DOC.matchAll(/```toml\n([\s\S]*?)```/g)) {
    const body = m[1] ?? "";
    const line = DOC.slice(0, m.index).split("\n").length;
    out.push({ line, text: /^version\s*=/m.test(body) ? body : `version = "0.2"\n${body}` });
  }
  return out;
}

describe("the published JSON Schema", () => {
  it("is the file in core/schema and a valid draft-07 schema", () => {
    expect(CIG_SCHEMA_PATH.endsWith(join("core", "schema", "cig.schema.json"))).toBe(true);
    const ajv = new Ajv();
    expect(ajv.validateSchema(cigSchema())).toBe(true);
    expect(cigSchema().$schema).toBe("http://json-schema.org/draft-07/schema#");
  });

  it("compiles in Ajv's strict mode once cig's annotation keywords are declared", () => {
    // strictRequired is off: `oneOf: [{required: [run]}, {required: [uses]}]` is the standard idiom.
    const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true });
    for (const keyword of CIG_KEYWORDS) ajv.addKeyword(keyword);
    expect(() => ajv.compile(cigSchema())).not.toThrow();
  });

  it("documents every property, so editors show help on hover", () => {
    const missing: string[] = [];
    const defs = cigSchema().definitions as Record<string, { description?: string }>;
    const walk = (node: unknown, where: string) => {
      if (node === null || typeof node !== "object") return;
      const schema = node as Record<string, unknown>;
      for (const [key, prop] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        const ref = typeof prop.$ref === "string" ? defs[prop.$ref.split("/").pop() ?? ""] : undefined;
        if (!prop.description && !ref?.description) missing.push(`${where}.${key}`);
      }
      for (const [key, child] of Object.entries(schema)) walk(child, `${where}/${key}`);
    };
    walk(cigSchema(), "#");
    expect(missing).toEqual([]);
  });

  it("names job ids with the documented pattern", () => {
    const jobs = (cigSchema().properties as Record<string, { propertyNames: { pattern: string } }>).jobs;
    expect(jobs?.propertyNames.pattern).toBe("^[a-zA-Z_][a-zA-Z0-9_-]*$");
  });
});

describe("docs/cig-toml.md", () => {
  const examples = docExamples();

  it("has examples", () => expect(examples.length).toBeGreaterThan(15));

  it.each(examples)("the example at line $line loads without diagnostics, and an editor accepts it too", ({ text }) => {
    const result = loadConfig(text, "cig.toml");
    expect(result.diagnostics.map((d) => `${d.code} ${d.title}`)).toEqual([]);
    const validate = editorValidator();
    expect(validate(parse(text))).toBe(true);
  });

  it("lists exactly the loader's diagnostic codes", () => {
    const documented = [...DOC.matchAll(/^\| `(CIG_CONFIG_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(CONFIG_CODES).sort());
  });

  it("documents every top-level key of the schema", () => {
    const table = DOC.slice(DOC.indexOf("## Top-level keys"), DOC.indexOf("### version"));
    for (const key of Object.keys(cigSchema().properties as object)) {
      const spellings = [`\`${key}\``, `\`[${key}]\``, `\`[${key}.<`, `\`[[${key}]]\``];
      expect(
        spellings.some((s) => table.includes(`| ${s}`)),
        key,
      ).toBe(true);
    }
  });
});

describe("the loader agrees with what an editor sees", () => {
  // Structural mistakes: both the loader and a plain JSON Schema validator reject them.
  it.each([
    ['[jobs.a]\nsteps = [{ run = "x" }]\ntimout = 1\n', "CIG_CONFIG_UNKNOWN_KEY"],
    ['[jobs.a]\nsteps = [{ run = "x" }]\ntimeout = "10m"\n', "CIG_CONFIG_TYPE"],
    ['[jobs."a b"]\nsteps = [{ run = "x" }]\n', "CIG_CONFIG_BAD_JOB_ID"],
    ['[jobs.a]\nsteps = [{ run = "x", uses = "y@1" }]\n', "CIG_CONFIG_STEP_ACTION"],
    ['[jobs.a]\nsteps = [{ name = "x" }]\n', "CIG_CONFIG_STEP_ACTION"],
    ['[jobs.a]\nsteps = [{ run = "x", with = { a = 1 } }]\n', "CIG_CONFIG_STEP_ACTION"],
    ['[[outputs]]\npath = "x.yml"\n', "CIG_CONFIG_MISSING_KEY"],
    ['[permissions]\ncontents = "all"\n', "CIG_CONFIG_VALUE"],
    ["[runners.r]\n", "CIG_CONFIG_VALUE"],
    ['[on]\nschedule = [{ cron = "daily" }]\n', "CIG_CONFIG_VALUE"],
  ])("%j → %s", (toml, code) => {
    const text = `version = "0.2"\n${toml}`;
    expect(loadConfig(text, "cig.toml").diagnostics.map((d) => d.code)).toEqual([code]);
    expect(editorValidator()(parse(text))).toBe(false);
  });

  it("checks in cig what an editor cannot: floats where text belongs, and names that must exist", () => {
    for (const toml of ["[variables]\nRUBY = 3.0\n", '[jobs.a]\nneeds = ["b"]\nsteps = [{ run = "x" }]\n']) {
      const text = `version = "0.2"\n${toml}`;
      expect(loadConfig(text, "cig.toml").ok).toBe(false);
      expect(editorValidator()(parse(text))).toBe(true);
    }
  });
});

describe("robustness: whatever the input, diagnostics and never an exception", () => {
  const keys = ["version", "jobs", "steps", "run", "uses", "with", "needs", "matrix", "include", "exclude", "services", "env", "timeout"];
  const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small" }, scalar, tie("array"), tie("table")),
    array: fc.array(tie("value"), { maxLength: 3 }),
    table: fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 6 })), tie("value"), { maxKeys: 4 }),
  }));
  const check = (text: string) => {
    const result = loadConfig(text, "cig.toml");
    expect(result.ok).toBe(result.schema !== undefined);
    for (const d of result.diagnostics) {
      expect(d.code in CONFIG_CODES).toBe(true);
      expect(d.title).not.toBe("");
      expect(d.fixHint).not.toBe("");
      expect(d.loc?.line).toBeGreaterThanOrEqual(1);
      expect(d.loc?.column).toBeGreaterThanOrEqual(1);
    }
  };

  it("handles random documents shaped like cig.toml", () => {
    const doc = fc.record({ jobs: fc.dictionary(fc.string({ maxLength: 5 }), value, { maxKeys: 3 }), extra: value });
    fc.assert(
      fc.property(doc, fc.boolean(), ({ jobs, extra }, withVersion) => {
        const data = {
          ...(withVersion ? { version: "0.2" } : {}),
          jobs,
          ...(typeof extra === "object" && !Array.isArray(extra) ? extra : {}),
        };
        let text: string;
        try {
          text = stringify(data);
        } catch {
          return; // not representable in TOML (e.g. a key redefined); nothing to check
        }
        check(text);
      }),
      { numRuns: 300 },
    );
  });

  it("handles random edits of a valid file", () => {
    const edit = fc.record({ at: fc.nat(SEED.length), remove: fc.nat(6), insert: fc.string({ maxLength: 4 }) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let text = SEED;
        for (const e of edits) text = text.slice(0, e.at) + e.insert + text.slice(e.at + e.remove);
        check(text);
      }),
      { numRuns: 300 },
    );
  });
});
