/** What kind of TOML value a path holds, as written (TOML keeps 3.0 and 3 apart; JavaScript does not). */
export type ValueKind = "table" | "array" | "string" | "integer" | "float" | "boolean" | "datetime";

/** A UTF-16 range of the text, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** Where one path of the document is written. */
export interface SpanEntry {
  /** The key token naming the value; absent for array elements. */
  key?: Span;
  value: Span;
  kind: ValueKind;
  /** Tables created by a dotted key or a deeper header; an explicit definition replaces them. */
  implicit: boolean;
}

/** Receives every path (as its JSON text, see `pathKey`) with where it is written. */
export type SpanSink = (pathKey: string, entry: SpanEntry) => void;

// Sticky patterns: one regex step per token instead of a test per character.
const SCALAR = /[^ \t\r\n,\]}#]*/y;
const BARE_KEY = /[^ \t.=\]\r\n]*/y;
const BLANK = /[ \t]*/y;
const BLANK_LINES = /(?:[ \t\r\n]|#[^\n]*)*/y;
const STRING_STOP = /["\\]/g;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const child = (parent: string, part: string | number) => `${parent.slice(0, -1)}${parent === "[]" ? "" : ","}${JSON.stringify(part)}]`;

/**
 * Indexes where every key and value of a TOML document is written, in one
 * pass over the text. It relies on smol-toml having accepted the document
 * first: it does not check TOML, it only finds the ends of things. Written
 * for speed (a 400 KB cig.toml in a few ms, where building a full AST took
 * ~250 ms); what it reports is pinned by the config tests' line:col cases.
 * Throws on text it cannot follow; the caller then has no positions.
 */
export function scanTomlSpans(text: string, sink: SpanSink): void {
  new Scanner(text, sink).document();
}

class Scanner {
  private pos = 0;
  // Array-of-tables paths (JSON text, with parent indices) → elements so far.
  private readonly arrays = new Map<string, number>();

  constructor(
    private readonly text: string,
    private readonly sink: SpanSink,
  ) {}

  document(): void {
    let table = "[]";
    for (;;) {
      this.skipBlank(true);
      if (this.pos >= this.text.length) return;
      if (this.text[this.pos] === "[") table = this.header();
      else this.keyValue(table);
    }
  }

  /** `[a.b]` or `[[a.b]]`: records the header and returns the table's path. */
  private header(): string {
    const start = this.pos;
    const array = this.text[this.pos + 1] === "[";
    this.pos += array ? 2 : 1;
    const tokens = this.key();
    const close = this.text.indexOf("]", this.pos);
    if (close === -1) throw new SyntaxError("unclosed table header");
    this.pos = close + (array ? 2 : 1);
    const header = { start, end: this.pos };
    // Resolve like TOML does: a segment naming an array of tables means its last element.
    let path = "[]";
    tokens.forEach((token, i) => {
      const last = i === tokens.length - 1;
      path = child(path, token.name);
      const count = this.arrays.get(path);
      const isArray = (last && array) || (count !== undefined && !last);
      this.sink(path, {
        key: token.span,
        value: last && !isArray ? header : token.span,
        kind: isArray ? "array" : "table",
        implicit: !last || isArray,
      });
      if (last && array) {
        this.arrays.set(path, (count ?? 0) + 1);
        path = child(path, count ?? 0);
        this.sink(path, { key: header, value: header, kind: "table", implicit: false });
      } else if (count !== undefined) {
        path = child(path, count - 1);
      }
    });
    return path;
  }

  private keyValue(base: string): void {
    const tokens = this.key();
    let path = base;
    tokens.forEach((token, i) => {
      path = child(path, token.name);
      if (i < tokens.length - 1) this.sink(path, { key: token.span, value: token.span, kind: "table", implicit: true });
    });
    this.skipBlank(false);
    if (this.text[this.pos] !== "=") throw new SyntaxError(`expected = at ${this.pos}`);
    this.pos++;
    this.skipBlank(false);
    this.value(path, tokens.at(-1)?.span);
  }

  /** A dotted key: each part's name and span. */
  private key(): Array<{ name: string; span: Span }> {
    const parts: Array<{ name: string; span: Span }> = [];
    for (;;) {
      this.skipBlank(false);
      const start = this.pos;
      const c = this.text[this.pos];
      let name: string;
      if (c === '"') {
        this.basicString();
        name = decodeBasic(this.text.slice(start + 1, this.pos - 1));
      } else if (c === "'") {
        this.pos = this.text.indexOf("'", start + 1) + 1;
        name = this.text.slice(start + 1, this.pos - 1);
      } else {
        this.pos = this.match(BARE_KEY);
        name = this.text.slice(start, this.pos);
      }
      if (this.pos <= start) throw new SyntaxError(`expected a key at ${start}`);
      parts.push({ name, span: { start, end: this.pos } });
      this.skipBlank(false);
      if (this.text[this.pos] !== ".") return parts;
      this.pos++;
    }
  }

  private value(path: string, key: Span | undefined): void {
    const start = this.pos;
    const c = this.text[this.pos];
    let kind: ValueKind;
    if (c === "[") {
      this.array(path);
      kind = "array";
    } else if (c === "{") {
      this.inlineTable(path);
      kind = "table";
    } else if (c === '"' || c === "'") {
      if (this.text.startsWith(c.repeat(3), this.pos)) this.multilineString(c);
      else if (c === '"') this.basicString();
      else this.pos = this.text.indexOf("'", start + 1) + 1;
      kind = "string";
    } else {
      kind = this.scalar();
    }
    this.sink(path, { ...(key ? { key } : {}), value: { start, end: this.pos }, kind, implicit: false });
  }

  private array(path: string): void {
    this.pos++;
    for (let i = 0; ; i++) {
      this.skipBlank(true);
      if (this.text[this.pos] === "]") break;
      this.value(child(path, i), undefined);
      this.skipBlank(true);
      if (this.text[this.pos] === ",") this.pos++;
    }
    this.pos++;
  }

  private inlineTable(path: string): void {
    this.pos++;
    for (;;) {
      this.skipBlank(true);
      if (this.text[this.pos] === "}") break;
      this.keyValue(path);
      this.skipBlank(true);
      if (this.text[this.pos] === ",") this.pos++;
    }
    this.pos++;
  }

  private scalar(): ValueKind {
    const start = this.pos;
    this.pos = this.match(SCALAR);
    let raw = this.text.slice(start, this.pos);
    // A date and a time may be separated by one space: 1979-05-27 07:32:00Z.
    if (DATE_ONLY.test(raw) && this.text[this.pos] === " " && /\d/.test(this.text[this.pos + 1] ?? "")) {
      this.pos++;
      this.pos = this.match(SCALAR);
      raw = this.text.slice(start, this.pos);
    }
    if (raw === "") throw new SyntaxError(`expected a value at ${start}`);
    if (raw === "true" || raw === "false") return "boolean";
    if (/^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}/.test(raw)) return "datetime";
    if (/^[+-]?0[xob]/.test(raw)) return "integer";
    return /[.eE]|inf|nan/.test(raw) ? "float" : "integer";
  }

  private basicString(): void {
    STRING_STOP.lastIndex = this.pos + 1;
    for (let m = STRING_STOP.exec(this.text); m; m = STRING_STOP.exec(this.text)) {
      if (m[0] === '"') {
        this.pos = m.index + 1;
        return;
      }
      STRING_STOP.lastIndex = m.index + 2;
    }
    throw new SyntaxError("unclosed string");
  }

  private multilineString(quote: string): void {
    let i = this.pos + 3;
    for (; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === "\\" && quote === '"') i++;
      else if (c === quote && this.text.startsWith(quote.repeat(3), i)) {
        // Up to two quotes may end the content right before the closing three.
        let run = 3;
        while (run < 5 && this.text[i + run] === quote) run++;
        this.pos = i + run;
        return;
      }
    }
    throw new SyntaxError("unclosed multi-line string");
  }

  /** Spaces and tabs; with `lines`, also line breaks and comments. */
  private skipBlank(lines: boolean): void {
    this.pos = this.match(lines ? BLANK_LINES : BLANK);
  }

  /** The end of what the sticky `re` matches at the current position. */
  private match(re: RegExp): number {
    re.lastIndex = this.pos;
    re.test(this.text);
    return re.lastIndex;
  }
}

const ESCAPES: Record<string, string> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", e: "\u001b", '"': '"', "\\": "\\" };

/** The value of a basic-string key's content (between the quotes). */
function decodeBasic(s: string): string {
  if (!s.includes("\\")) return s;
  return s.replace(/\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))/g, (_m, x, u, U, c: string) => {
    const hex = x ?? u ?? U;
    return hex ? String.fromCodePoint(Number.parseInt(hex, 16)) : (ESCAPES[c] ?? c);
  });
}
