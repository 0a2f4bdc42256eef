import { create } from "@bufbuild/protobuf";
import { type SourceLocation, SourceLocationSchema } from "@cig/proto";
import { type DocPath, pathKey } from "./document-path.js";
import { LineIndex } from "./line-index.js";
import { type SpanEntry as Entry, type Span, scanTomlSpans } from "./toml-spans.js";

export type { ValueKind } from "./toml-spans.js";

/**
 * Where every key and value of a cig.toml is written. smol-toml gives the
 * values but no positions; {@link scanTomlSpans} finds them in one pass.
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
    try {
      scanTomlSpans(text, (key, entry) => map.set(key, entry));
    } catch {
      map.entries.clear();
      map.entries.set(pathKey([]), { value: { start: 0, end: 0 }, kind: "table", implicit: false });
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

  private set(key: string, entry: Entry): void {
    const old = this.entries.get(key);
    if (!old || (old.implicit && !entry.implicit)) this.entries.set(key, entry);
  }
}
