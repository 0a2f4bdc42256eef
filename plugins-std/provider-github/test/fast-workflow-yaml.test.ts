// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} here is GitHub expression syntax, not a JS template.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Json, JsonMap } from "@cig/sdk";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { toWorkflowYamlFast } from "../src/fast-workflow-yaml.js";
import { toWorkflowYaml } from "../src/workflow-yaml.js";

// The fast writer must write exactly what the yaml-library writer writes.

const TRICKY = [
  "on",
  "yes",
  "no",
  "true",
  "null",
  "~",
  "3.10",
  "20",
  "010",
  "0o17",
  "1e5",
  ".",
  "-",
  "- x",
  "a: b",
  "a:b",
  "a #b",
  "a#b",
  "#c",
  "key:",
  "${{ matrix.os }}",
  "${{ github.ref }}",
  'echo "hi"',
  "it's",
  "'q'",
  '"q"',
  "a, b",
  "[x]",
  "{x}",
  "*a",
  "&a",
  "!t",
  "%p",
  "@u",
  "`b`",
  "|",
  ">",
  "?",
  "line\nline",
  "trail\n",
  "two\n\n",
  " lead",
  "trail ",
  "tab\there",
  "é",
  "ubuntu-latest",
  "actions/checkout@v4",
  "pnpm test -- --reporter dot",
  "20.11.1",
  "v1.2",
  "main",
  "release/*",
  "",
  // What the skip machinery writes (job-level if, probe if, record step).
  "${{ !cancelled() && !failure() && needs.cig-signatures.outputs.run-a == 'true' && (x) }}",
  "!cancelled() && !contains(needs.*.result, 'failure')",
  "fromJSON(steps.sigs.outputs.decisions)['it''s'].mode == 'check'",
  'mkdir -p "$CIG_STORE" && echo "$CIG_SIGNATURE" > "$CIG_STORE/$CIG_KEY"',
  'check a "${{ needs.a.result }}"\nexit 1',
];
const word = fc.constantFrom(
  "name",
  "run",
  "uses",
  "with",
  "env",
  "steps",
  "jobs",
  "matrix",
  "include",
  "exclude",
  "strategy",
  "on",
  "if",
  "A_B",
  "runs-on",
);
const str = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[a-z.-][a-z0-9 ._:/#-]{0,15}$/),
  fc.array(fc.stringMatching(/^[ a-z#-]{0,6}$/), { minLength: 2, maxLength: 4 }).map((ls) => ls.join("\n")),
);
const scalar = fc.oneof(str, fc.integer({ min: -5, max: 5000 }), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const value: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.constant(null),
    fc.array(scalar, { maxLength: 6 }),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.oneof(word, str), tie("v"), { maxKeys: 4 }),
  ),
})).v;

describe("toWorkflowYamlFast", () => {
  it("writes exactly what the yaml library writes, for arbitrary values", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(word, str), value, { maxKeys: 5 }), (doc) => {
        expect(toWorkflowYamlFast(doc as JsonMap)).toBe(toWorkflowYaml(doc as JsonMap));
      }),
      { numRuns: 3000 },
    );
  });

  it("writes matrices (axes, include and exclude cells) exactly as the yaml library does", () => {
    const cell = fc.dictionary(fc.oneof(word, str), scalar, { minKeys: 0, maxKeys: 3 });
    const matrix = fc.record({
      axes: fc.dictionary(fc.oneof(word, str), fc.array(scalar, { maxLength: 5 }), { maxKeys: 3 }),
      include: fc.option(fc.array(cell, { maxLength: 3 }), { nil: undefined }),
      exclude: fc.option(fc.array(cell, { maxLength: 3 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(matrix, ({ axes, include, exclude }) => {
        const m: JsonMap = { ...axes, ...(include ? { include } : {}), ...(exclude ? { exclude } : {}) };
        const doc: JsonMap = { jobs: { test: { strategy: { matrix: m, "fail-fast": false } } } };
        expect(toWorkflowYamlFast(doc)).toBe(toWorkflowYaml(doc));
      }),
      { numRuns: 3000 },
    );
  });

  it("writes every golden GitHub workflow exactly as committed", () => {
    const root = join(import.meta.dirname, "../../../golden-tests");
    let n = 0;
    for (const c of readdirSync(root)) {
      const dir = join(root, c, "expected/github/.github/workflows");
      for (const f of existsSync(dir) ? readdirSync(dir) : []) {
        const text = readFileSync(join(dir, f), "utf8");
        const body = text.replace(/^(#[^\n]*\n)+/, "");
        const doc = parse(body) as JsonMap;
        expect(toWorkflowYamlFast(doc)).toBe(toWorkflowYaml(doc));
        n++;
      }
    }
    expect(n).toBeGreaterThan(5);
  });
});
