import { create } from "@bufbuild/protobuf";
import { type SourceLocation, SourceLocationSchema } from "@cig/proto";
import type { DocPath } from "./document-path.js";
import { LineIndex } from "./line-index.js";
import { SpanNode, scanTomlSpans } from "./toml-spans.js";

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
      root = new SpanNode();
      root.put(-1, -1, 0, 0, "table", false);
    }
    return new SourceMap(file, text, root);
  }

  /** Where the value at `path` is written; the nearest written ancestor when the path itself is not in the file. */
  locate(path: DocPath): SourceLocation {
    const [node] = this.nearest(path);
    return this.toLocation(node.valueStart, node.valueEnd);
  }

  /** Where the key naming `path` is written (its value for array elements); the nearest ancestor's otherwise. */
  locateKey(path: DocPath): SourceLocation {
    const [node, exact] = this.nearest(path);
    return exact && node.keyStart >= 0 ? this.toLocation(node.keyStart, node.keyEnd) : this.toLocation(node.valueStart, node.valueEnd);
  }

  /** The source text of the value at `path`, e.g. `3.10` for a float; undefined when not written. */
  raw(path: DocPath): string | undefined {
    const [node, exact] = this.nearest(path);
    return exact ? this.text.slice(node.valueStart, node.valueEnd) : undefined;
  }

  /** Every path holding a float literal. */
  floats(): DocPath[] {
    const out: DocPath[] = [];
    // One path array for the whole walk, copied only for a float (rare): 27k copies cost ~20 ms.
    const path: (string | number)[] = [];
    const walk = (node: SpanNode): void => {
      if (node.written && node.kind === "float") out.push([...path]);
      node.kids?.forEach((kid, part) => {
        path.push(part);
        walk(kid);
        path.pop();
      });
    };
    walk(this.root);
    return out;
  }

  /** The node of `path`, or of its nearest written ancestor; and whether it is the path's own. */
  private nearest(path: DocPath): [SpanNode, boolean] {
    let node = this.root;
    let found = node;
    for (let n = 0; n < path.length; n++) {
      const kid = node.kids?.get(path[n] as string | number);
      if (!kid) return [found, false];
      node = kid;
      if (node.written) found = node;
      else if (n === path.length - 1) return [found, false];
    }
    return [found, true];
  }

  private toLocation(from: number, to: number): SourceLocation {
    const start = this.lines.position(from);
    const end = this.lines.position(to);
    return create(SourceLocationSchema, {
      path: this.file,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
    });
  }
}
