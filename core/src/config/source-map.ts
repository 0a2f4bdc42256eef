import { create } from "@bufbuild/protobuf";
import { type SourceLocation, SourceLocationSchema } from "@cig/proto";
import type { DocPath } from "./document-path.js";
import { LineIndex } from "./line-index.js";
import { type SpanEntry as Entry, type Span, type SpanNode, scanTomlSpans } from "./toml-spans.js";

export type { ValueKind } from "./toml-spans.js";

/**
 * Where every key and value of a cig.toml is written. smol-toml gives the
 * values but no positions; {@link scanTomlSpans} finds them in one pass.
 */
export class SourceMap {
  private readonly lines: LineIndex;

  private constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly root: SpanNode,
  ) {
    this.lines = new LineIndex(text);
  }

  /**
   * Indexes `text`. Call it after smol-toml accepted the text; should the two
   * parsers ever disagree, the map is empty and locations fall back to 1:1.
   */
  static build(text: string, file: string): SourceMap {
    let root: SpanNode;
    try {
      root = scanTomlSpans(text);
    } catch {
      root = { entry: ROOT_ENTRY, kids: undefined, tables: undefined };
    }
    return new SourceMap(file, text, root);
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
    const [entry, exact] = this.nearest(path);
    return exact ? this.text.slice(entry.value.start, entry.value.end) : undefined;
  }

  /** Every path holding a float literal. */
  floats(): DocPath[] {
    const out: DocPath[] = [];
    // One path array for the whole walk, copied only for a float (rare): 27k copies cost ~20 ms.
    const path: (string | number)[] = [];
    const walk = (node: SpanNode): void => {
      if (node.entry?.kind === "float") out.push([...path]);
      if (!node.kids) return;
      for (const [part, kid] of node.kids) {
        path.push(part);
        walk(kid);
        path.pop();
      }
    };
    walk(this.root);
    return out;
  }

  /** The entry of `path`, or of its nearest written ancestor; and whether it is the path's own. */
  private nearest(path: DocPath): [Entry, boolean] {
    let node = this.root;
    let found = node.entry ?? ROOT_ENTRY;
    for (let n = 0; n < path.length; n++) {
      const kid = node.kids?.get(path[n] as string | number);
      if (!kid) return [found, false];
      node = kid;
      if (node.entry) found = node.entry;
      else if (n === path.length - 1) return [found, false];
    }
    return [found, true];
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
}

const ROOT_ENTRY: Entry = { key: undefined, value: { start: 0, end: 0 }, kind: "table", implicit: false };
