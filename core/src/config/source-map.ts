import { create } from "@bufbuild/protobuf";
import { type SourceLocation, SourceLocationSchema } from "@cig/proto";
import { type AST, parseTOML } from "toml-eslint-parser";
import { type DocPath, pathKey } from "./document-path.js";
import { LineIndex } from "./line-index.js";

/** What kind of TOML value a path holds, as written (TOML keeps 3.0 and 3 apart; JavaScript does not). */
export type ValueKind = "table" | "array" | "string" | "integer" | "float" | "boolean" | "datetime";

interface Span {
  start: number;
  end: number;
}

interface Entry {
  /** The key token naming the value; absent for array elements. */
  key?: Span;
  value: Span;
  kind: ValueKind;
  /** Tables created by a dotted key or a deeper header; an explicit definition replaces them. */
  implicit: boolean;
}

/**
 * Where every key and value of a cig.toml is written. smol-toml gives the
 * values but no positions; toml-eslint-parser gives an AST with ranges, which
 * this walks once to index every path.
 */
export class SourceMap {
  private readonly entries = new Map<string, Entry>();
  private readonly lines: LineIndex;

  private constructor(
    private readonly file: string,
    private readonly text: string,
  ) {
    this.lines = new LineIndex(text);
    this.entries.set(pathKey([]), { value: { start: 0, end: 0 }, kind: "table", implicit: false });
  }

  /**
   * Indexes `text`. Call it after smol-toml accepted the text; should the two
   * parsers ever disagree, the map is empty and locations fall back to 1:1.
   */
  static build(text: string, file: string): SourceMap {
    const map = new SourceMap(file, text);
    let program: AST.TOMLProgram;
    try {
      program = parseTOML(text, { tomlVersion: "1.1.0" });
    } catch {
      return map;
    }
    for (const node of program.body[0].body) {
      if (node.type === "TOMLKeyValue") map.keyValue(node, []);
      else map.table(node);
    }
    return map;
  }

  /** Where the value at `path` is written; the nearest written ancestor when the path itself is not in the file. */
  locate(path: DocPath): SourceLocation {
    const [entry] = this.nearest(path);
    return this.toLocation(entry.value);
  }

  /** Where the key naming `path` is written (its value for array elements); the nearest ancestor's otherwise. */
  locateKey(path: DocPath): SourceLocation {
    const [entry, exact] = this.nearest(path);
    return this.toLocation((exact && entry.key) || entry.value);
  }

  /** The source text of the value at `path`, e.g. `3.10` for a float; undefined when not written. */
  raw(path: DocPath): string | undefined {
    const entry = this.entries.get(pathKey(path));
    return entry ? this.text.slice(entry.value.start, entry.value.end) : undefined;
  }

  /** Every path holding a float literal. */
  floats(): DocPath[] {
    return [...this.entries].filter(([, e]) => e.kind === "float").map(([k]) => JSON.parse(k) as DocPath);
  }

  private nearest(path: DocPath): [Entry, boolean] {
    for (let n = path.length; n >= 0; n--) {
      const entry = this.entries.get(pathKey(path.slice(0, n)));
      if (entry) return [entry, n === path.length];
    }
    // The root is always present; this is for the type checker.
    return [{ value: { start: 0, end: 0 }, kind: "table", implicit: true }, false];
  }

  private toLocation(span: Span): SourceLocation {
    const start = this.lines.position(span.start);
    const end = this.lines.position(span.end);
    return create(SourceLocationSchema, {
      path: this.file,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
    });
  }

  private set(path: DocPath, entry: Entry): void {
    const key = pathKey(path);
    const old = this.entries.get(key);
    if (!old || (old.implicit && !entry.implicit)) this.entries.set(key, entry);
  }

  private table(node: AST.TOMLTable): void {
    // resolvedKey has array indices ([[a]] then [a.b] is ["a", 0, "b"]); the key tokens do not.
    const tokens = node.key.keys;
    const resolved = node.resolvedKey;
    const close = this.text.indexOf("]", node.key.range[1]);
    const header = { start: node.range[0], end: close === -1 ? node.key.range[1] : close + (node.kind === "array" ? 2 : 1) };
    let t = 0;
    for (let r = 0; r < resolved.length; r++) {
      if (typeof resolved[r] === "number") continue;
      const token = tokens[t++];
      if (!token) break;
      const span = { start: token.range[0], end: token.range[1] };
      const path = resolved.slice(0, r + 1);
      const last = r === resolved.length - 1;
      const isArray = typeof resolved[r + 1] === "number" || (last && node.kind === "array");
      this.set(path, { key: span, value: last && !isArray ? header : span, kind: isArray ? "array" : "table", implicit: !last || isArray });
    }
    if (node.kind === "array") this.set(resolved, { key: header, value: header, kind: "table", implicit: false });
    for (const kv of node.body) this.keyValue(kv, resolved);
  }

  private keyValue(kv: AST.TOMLKeyValue, base: DocPath): void {
    let path = base;
    const tokens = kv.key.keys;
    tokens.forEach((token, i) => {
      path = [...path, token.type === "TOMLBare" ? token.name : token.value];
      const key = { start: token.range[0], end: token.range[1] };
      if (i < tokens.length - 1) this.set(path, { key, value: key, kind: "table", implicit: true });
    });
    const last = tokens.at(-1);
    const key = last ? { start: last.range[0], end: last.range[1] } : undefined;
    this.value(kv.value, path, key);
  }

  private value(node: AST.TOMLContentNode, path: DocPath, key: Span | undefined): void {
    const value = { start: node.range[0], end: node.range[1] };
    const kind = kindOf(node);
    this.set(path, { ...(key ? { key } : {}), value, kind, implicit: false });
    if (node.type === "TOMLArray") for (const [i, el] of node.elements.entries()) this.value(el, [...path, i], undefined);
    else if (node.type === "TOMLInlineTable") for (const kv of node.body) this.keyValue(kv, path);
  }
}

function kindOf(node: AST.TOMLContentNode): ValueKind {
  if (node.type === "TOMLArray") return "array";
  if (node.type === "TOMLInlineTable") return "table";
  switch (node.kind) {
    case "string":
    case "integer":
    case "float":
    case "boolean":
      return node.kind;
    default:
      return "datetime";
  }
}
