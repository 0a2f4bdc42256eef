import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { type AST, parseTOML } from "toml-eslint-parser";
import { describe, expect, it } from "vitest";
import { type SpanEntry, scanTomlSpans, spanEntries, type ValueKind } from "../src/config/toml-spans.js";
import { REPO_ROOT } from "./process-helpers.js";

// Differential test: the hand-written span scanner (written for speed) must
// index every document exactly as an AST from toml-eslint-parser, a
// maintained TOML parser with source ranges, says it should.

type Index = Map<string, SpanEntry>;

function setter(index: Index) {
  return (key: string, entry: SpanEntry) => {
    const old = index.get(key);
    if (!old || (old.implicit && !entry.implicit)) index.set(key, entry);
  };
}

function scanned(text: string): Index {
  return spanEntries(scanTomlSpans(text));
}

/** The reference: the AST walk cig used before the scanner. */
function reference(text: string): Index {
  const index: Index = new Map();
  const set = setter(index);
  const key = (path: readonly (string | number)[]) => JSON.stringify(path);
  const span = (r: [number, number]) => ({ start: r[0], end: r[1] });
  const kindOf = (node: AST.TOMLContentNode): ValueKind =>
    node.type === "TOMLArray"
      ? "array"
      : node.type === "TOMLInlineTable"
        ? "table"
        : ((["string", "integer", "float", "boolean"] as const).find((k) => k === node.kind) ?? "datetime");
  const value = (node: AST.TOMLContentNode, path: (string | number)[], k: ReturnType<typeof span> | undefined): void => {
    set(key(path), { key: k, value: span(node.range), kind: kindOf(node), implicit: false });
    if (node.type === "TOMLArray") {
      for (const [i, el] of node.elements.entries()) value(el, [...path, i], undefined);
    } else if (node.type === "TOMLInlineTable") for (const kv of node.body) keyValue(kv, path);
  };
  const keyValue = (kv: AST.TOMLKeyValue, base: (string | number)[]): void => {
    let path = base;
    kv.key.keys.forEach((t, i) => {
      path = [...path, t.type === "TOMLBare" ? t.name : t.value];
      if (i < kv.key.keys.length - 1) set(key(path), { key: span(t.range), value: span(t.range), kind: "table", implicit: true });
    });
    const last = kv.key.keys.at(-1);
    value(kv.value, path, last ? span(last.range) : undefined);
  };
  for (const node of parseTOML(text, { tomlVersion: "1.1.0" }).body[0].body) {
    if (node.type === "TOMLKeyValue") {
      keyValue(node, []);
      continue;
    }
    const resolved = node.resolvedKey;
    const close = text.indexOf("]", node.key.range[1]);
    const header = { start: node.range[0], end: close + (node.kind === "array" ? 2 : 1) };
    let t = 0;
    for (let r = 0; r < resolved.length; r++) {
      if (typeof resolved[r] === "number") continue;
      const token = node.key.keys[t++];
      if (!token) break;
      const last = r === resolved.length - 1;
      const isArray = typeof resolved[r + 1] === "number" || (last && node.kind === "array");
      set(key(resolved.slice(0, r + 1)), {
        key: span(token.range),
        value: last && !isArray ? header : span(token.range),
        kind: isArray ? "array" : "table",
        implicit: !last || isArray,
      });
    }
    if (node.kind === "array") set(key(resolved), { key: header, value: header, kind: "table", implicit: false });
    for (const kv of node.body) keyValue(kv, [...resolved]);
  }
  return index;
}

const TRICKY = String.raw`# every construct cig.toml files use, and some they might
version = "0.2"
"quoted key" = 'literal'
"esc\u00e9\"q" = "x"   # comment after a value
a.b.c = 1
a.'d e' = 2.5
nums = [1, -2, +3, 0x1F, 0o7, 0b1, 1_000, 6.02e23, 1E5, inf, -inf, nan, +nan]
when = 1979-05-27 07:32:00Z
dates = [1979-05-27, 07:32:00, 1979-05-27T00:32:00.999999-07:00]
multi = """
a "quoted" line \"""
ends with quotes"""""
lit = '''
raw \ text '' inside'''
flags = { on = true, off = false }
nested = [[1, 2], ["a", { x = "y" }], []]   # arrays of arrays

[project]
name = "p" # trailing
  [project.sub]
  k = "v"

[[jobs.test.steps]]
run = "a"

[[jobs.test.steps]]
run = """
multi
line
"""
with = {
  a = 1,
  b = [
    "x", # a comment in an array
    "y",
  ],
}

[jobs.test.services.postgres]
image = "postgres:16"

[[outputs]]
provider = "github"
[[outputs]]
provider = "gitlab"
[outputs.extra]
z = "last element's table"

[ "spaced" . 'header' ]
"ünïcode" = "ok"
`;

describe("scanTomlSpans", () => {
  const documents: Array<[string, string]> = [
    ["tricky", TRICKY],
    ["tricky with CRLF", TRICKY.replace(/\n/g, "\r\n")],
    ...readdirSync(join(REPO_ROOT, "core/test/fixtures/config"))
      .filter((f) => f.endsWith(".toml"))
      .map((f): [string, string] => [f, readFileSync(join(REPO_ROOT, "core/test/fixtures/config", f), "utf8")]),
    ...readdirSync(join(REPO_ROOT, "golden-tests"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d): [string, string] => [d.name, readFileSync(join(REPO_ROOT, "golden-tests", d.name, "input/cig.toml"), "utf8")]),
  ];

  it.each(documents)("indexes %s exactly as toml-eslint-parser's AST does", (_name, text) => {
    parse(text); // the scanner's precondition: smol-toml accepts the document
    const want = reference(text);
    expect(want.size).toBeGreaterThan(5);
    expect(Object.fromEntries(scanned(text))).toEqual(Object.fromEntries(want));
  });

  it("reads quoted keys with their escapes", () => {
    const index = scanned(String.raw`"a\tb\u00e9\"" = 1`);
    expect([...index.keys()]).toEqual([JSON.stringify(['a\tbé"'])]);
  });
});
