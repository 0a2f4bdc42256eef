/** What kind of TOML value a path holds, as written (TOML keeps 3.0 and 3 apart; JavaScript does not). */
export type ValueKind = "table" | "array" | "string" | "integer" | "float" | "boolean" | "datetime";

/** A UTF-16 range of the text, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** Where one path of the document is written. */
export interface SpanEntry {
  /** The key token naming the value; undefined for array elements. */
  key: Span | undefined;
  value: Span;
  kind: ValueKind;
  /** Tables created by a dotted key or a deeper header; an explicit definition replaces them. */
  implicit: boolean;
}

/**
 * One path of the document: where its key and value are written (`written`
 * is false only for a node made for a child before its own definition was
 * seen) and its children by key or array index. One flat object per path: a
 * 1,000-job cig.toml has 27k paths, and the scan of it spent more time in
 * the garbage collector than scanning while each path had four objects.
 */
export class SpanNode {
  written = false;
  kind: ValueKind = "table";
  implicit = true;
  /** The key token naming the value; -1 for array elements. */
  keyStart = -1;
  keyEnd = -1;
  valueStart = 0;
  valueEnd = 0;
  kids: Map<string | number, SpanNode> | undefined = undefined;
  /** For a path named by `[[header]]`s: how many elements so far. */
  tables: number | undefined = undefined;

  /** Where this path is written, as a {@link SpanEntry}; undefined when it is not. */
  entry(): SpanEntry | undefined {
    if (!this.written) return undefined;
    const key = this.keyStart < 0 ? undefined : { start: this.keyStart, end: this.keyEnd };
    return { key, value: { start: this.valueStart, end: this.valueEnd }, kind: this.kind, implicit: this.implicit };
  }

  /** The child at `part`, created when missing. */
  child(part: string | number): SpanNode {
    this.kids ??= new Map();
    let kid = this.kids.get(part);
    if (!kid) {
      kid = new SpanNode();
      this.kids.set(part, kid);
    }
    return kid;
  }

  /** Records where the path is written; an explicit definition replaces an implicit one, never the reverse. */
  put(keyStart: number, keyEnd: number, valueStart: number, valueEnd: number, kind: ValueKind, implicit: boolean): void {
    if (this.written && !(this.implicit && !implicit)) return;
    this.written = true;
    this.keyStart = keyStart;
    this.keyEnd = keyEnd;
    this.valueStart = valueStart;
    this.valueEnd = valueEnd;
    this.kind = kind;
    this.implicit = implicit;
  }
}

// Sticky patterns: one regex step per token instead of a test per character.
const SCALAR = /[^ \t\r\n,\]}#]*/y;
const BARE_KEY = /[^ \t.=\]\r\n]*/y;
const BLANK = /[ \t]*/y;
const BLANK_LINES = /(?:[ \t\r\n]|#[^\n]*)*/y;
const STRING_STOP = /["\\]/g;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}/;
const RADIX = /^[+-]?0[xob]/;
const FLOATISH = /[.eE]|inf|nan/;
const [QUOTE, APOSTROPHE, BRACKET, BRACE, DOT, EQUALS, COMMA, CLOSE_BRACKET, CLOSE_BRACE, BACKSLASH] = [..."\"'[{.=,]}\\"].map((c) =>
  c.charCodeAt(0),
);

/**
 * Indexes where every key and value of a TOML document is written, in one
 * pass over the text, as a tree rooted at the document. It relies on
 * smol-toml having accepted the document first: it does not check TOML, it
 * only finds the ends of things. Written for speed (a 400 KB cig.toml in a
 * few ms, where building a full AST took ~250 ms); what it reports is pinned
 * by a differential test against toml-eslint-parser's AST. Throws on text it
 * cannot follow; the caller then has no positions.
 */
export function scanTomlSpans(text: string): SpanNode {
  const root = new SpanNode();
  root.put(-1, -1, 0, 0, "table", false);
  new Scanner(text).document(root);
  return root;
}

/** Every written path of a scanned tree as JSON text (`["jobs","test"]`) → where it is written. */
export function spanEntries(root: SpanNode): Map<string, SpanEntry> {
  const out = new Map<string, SpanEntry>();
  const walk = (node: SpanNode, path: (string | number)[]): void => {
    const entry = node.entry();
    if (entry && path.length > 0) out.set(JSON.stringify(path), entry);
    for (const [part, kid] of node.kids ?? []) walk(kid, [...path, part]);
  };
  walk(root, []);
  return out;
}

class Scanner {
  private pos = 0;
  // The parts of the last key read: reused, since each key is consumed before the next is read.
  private readonly names: string[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(private readonly text: string) {}

  document(root: SpanNode): void {
    let table = root;
    for (;;) {
      this.skipBlank(true);
      if (this.pos >= this.text.length) return;
      if (this.text.charCodeAt(this.pos) === BRACKET) table = this.header(root);
      else this.keyValue(table);
    }
  }

  /** `[a.b]` or `[[a.b]]`: records the header and returns the table's node. */
  private header(root: SpanNode): SpanNode {
    const start = this.pos;
    const array = this.text.charCodeAt(this.pos + 1) === BRACKET;
    this.pos += array ? 2 : 1;
    const parts = this.key();
    const close = this.text.indexOf("]", this.pos);
    if (close === -1) throw new SyntaxError("unclosed table header");
    this.pos = close + (array ? 2 : 1);
    const end = this.pos;
    // Resolve like TOML does: a segment naming an array of tables means its last element.
    let node = root;
    for (let i = 0; i < parts; i++) {
      const last = i === parts - 1;
      node = node.child(this.names[i] as string);
      const count = node.tables;
      const isArray = (last && array) || (count !== undefined && !last);
      const ks = this.starts[i] as number;
      const ke = this.ends[i] as number;
      if (last && !isArray) node.put(ks, ke, start, end, "table", false);
      else node.put(ks, ke, ks, ke, isArray ? "array" : "table", true);
      if (last && array) {
        node.tables = (count ?? 0) + 1;
        node = node.child(count ?? 0);
        node.put(start, end, start, end, "table", false);
      } else if (count !== undefined) {
        node = node.child(count - 1);
      }
    }
    return node;
  }

  private keyValue(base: SpanNode): void {
    const parts = this.key();
    let node = base;
    for (let i = 0; i < parts; i++) {
      node = node.child(this.names[i] as string);
      if (i < parts - 1)
        node.put(this.starts[i] as number, this.ends[i] as number, this.starts[i] as number, this.ends[i] as number, "table", true);
    }
    const keyStart = this.starts[parts - 1] as number;
    const keyEnd = this.ends[parts - 1] as number;
    this.skipBlank(false);
    if (this.text.charCodeAt(this.pos) !== EQUALS) throw new SyntaxError(`expected = at ${this.pos}`);
    this.pos++;
    this.skipBlank(false);
    this.value(node, keyStart, keyEnd);
  }

  /** A dotted key into `names`, `starts` and `ends`; returns how many parts it has. */
  private key(): number {
    let n = 0;
    for (;;) {
      this.skipBlank(false);
      const start = this.pos;
      const c = this.text.charCodeAt(this.pos);
      let name: string;
      if (c === QUOTE) {
        this.basicString();
        name = decodeBasic(this.text.slice(start + 1, this.pos - 1));
      } else if (c === APOSTROPHE) {
        this.pos = this.text.indexOf("'", start + 1) + 1;
        name = this.text.slice(start + 1, this.pos - 1);
      } else {
        this.pos = this.match(BARE_KEY);
        name = this.text.slice(start, this.pos);
      }
      if (this.pos <= start) throw new SyntaxError(`expected a key at ${start}`);
      this.names[n] = name;
      this.starts[n] = start;
      this.ends[n] = this.pos;
      n++;
      this.skipBlank(false);
      if (this.text.charCodeAt(this.pos) !== DOT) return n;
      this.pos++;
    }
  }

  private value(node: SpanNode, keyStart: number, keyEnd: number): void {
    const start = this.pos;
    const c = this.text.charCodeAt(this.pos);
    let kind: ValueKind;
    if (c === BRACKET) {
      this.array(node);
      kind = "array";
    } else if (c === BRACE) {
      this.inlineTable(node);
      kind = "table";
    } else if (c === QUOTE || c === APOSTROPHE) {
      if (this.text.charCodeAt(this.pos + 1) === c && this.text.charCodeAt(this.pos + 2) === c) this.multilineString(c);
      else if (c === QUOTE) this.basicString();
      else this.pos = this.text.indexOf("'", start + 1) + 1;
      kind = "string";
    } else {
      kind = this.scalar();
    }
    node.put(keyStart, keyEnd, start, this.pos, kind, false);
  }

  private array(node: SpanNode): void {
    this.pos++;
    for (let i = 0; ; i++) {
      this.skipBlank(true);
      if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) break;
      this.value(node.child(i), -1, -1);
      this.skipBlank(true);
      if (this.text.charCodeAt(this.pos) === COMMA) this.pos++;
    }
    this.pos++;
  }

  private inlineTable(node: SpanNode): void {
    this.pos++;
    for (;;) {
      this.skipBlank(true);
      if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) break;
      this.keyValue(node);
      this.skipBlank(true);
      if (this.text.charCodeAt(this.pos) === COMMA) this.pos++;
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
    if (DATETIME.test(raw)) return "datetime";
    if (RADIX.test(raw)) return "integer";
    return FLOATISH.test(raw) ? "float" : "integer";
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

  private multilineString(quote: number): void {
    const q = this.text;
    for (let i = this.pos + 3; i < q.length; i++) {
      const c = q.charCodeAt(i);
      if (c === BACKSLASH && quote === QUOTE) i++;
      else if (c === quote && q.charCodeAt(i + 1) === quote && q.charCodeAt(i + 2) === quote) {
        // Up to two quotes may end the content right before the closing three.
        let run = 3;
        while (run < 5 && q.charCodeAt(i + run) === quote) run++;
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
