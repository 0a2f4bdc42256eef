/** A 1-based line and column; columns count Unicode code points, as the protocol's SourceLocation does. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Turns UTF-16 offsets (what JavaScript parsers report) into lines and
 * code-point columns, so that a column means the same thing to every plugin
 * whatever language it is written in.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  /** The position of a UTF-16 offset; offsets past the end clamp to it. */
  position(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    const start = this.starts[lo] ?? 0;
    return { line: lo + 1, column: codePoints(this.text.slice(start, at)) + 1 };
  }

  /** The code-point column of a 1-based UTF-16 column on a 1-based line. */
  column(line: number, unitColumn: number): number {
    const start = this.starts[line - 1];
    if (start === undefined) return unitColumn;
    return codePoints(this.text.slice(start, start + Math.max(0, unitColumn - 1))) + 1;
  }

  /** The text of a 1-based line without its line break, or undefined past the end. */
  lineText(line: number): string | undefined {
    const start = this.starts[line - 1];
    if (start === undefined) return undefined;
    const next = this.starts[line];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, "");
  }
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
