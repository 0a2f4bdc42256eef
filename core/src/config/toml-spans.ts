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
 * One path of the document: where it is written (set on every node once the
 * scan is done) and its children by key or array index. A tree rather than a
 * map keyed by path text: building the 27k path strings of a 1,000-job
 * cig.toml cost more than the scan itself.
 */
export interface SpanNode {
  entry: SpanEntry | undefined;
  kids: Map<string | number, SpanNode> | undefined;
  /** For a path named by `[[header]]`s: how many elements so far. */
  tables: number | undefined;
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
const [QUOTE, APOSTROPHE, BRACKET, BRACE, DOT, EQUALS, COMMA, CLOSE_BRACKET, CLOSE_BRACE] = [..."\"'[{.=,]}"].map((c) => c.charCodeAt(0));

const newNode = (): SpanNode => ({ entry: undefined, kids: undefined, tables: undefined });

/** The child of `node` at `part`, created when missing. */
function child(node: SpanNode, part: string | number): SpanNode {
  node.kids ??= new Map();
  let kid = node.kids.get(part);
  if (!kid) {
    kid = newNode();
    node.kids.set(part, kid);
  }
  return kid;
}

/** Records where a path is written; an explicit definition replaces an implicit one, never the reverse. */
function put(node: SpanNode, entry: SpanEntry): void {
  if (!node.entry || (node.entry.implicit && !entry.implicit)) node.entry = entry;
}

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
  const root = newNode();
  root.entry = { key: undefined, value: { start: 0, end: 0 }, kind: "table", implicit: false };
  new Scanner(text).document(root);
  return root;
}

/** Every written path of a scanned tree as JSON text (`["jobs","test"]`) → where it is written, in document order of first visit. */
export function spanEntries(root: SpanNode): Map<string, SpanEntry> {
  const out = new Map<string, SpanEntry>();
  const walk = (node: SpanNode, path: (string | number)[]): void => {
    if (node.entry && path.length > 0) out.set(JSON.stringify(path), node.entry);
    for (const [part, kid] of node.kids ?? []) walk(kid, [...path, part]);
  };
  walk(root, []);
  return out;
}

class Scanner {
  private pos = 0;

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
    const tokens = this.key();
    const close = this.text.indexOf("]", this.pos);
    if (close === -1) throw new SyntaxError("unclosed table header");
    this.pos = close + (array ? 2 : 1);
    const header = { start, end: this.pos };
    // Resolve like TOML does: a segment naming an array of tables means its last element.
    let node = root;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as KeyToken;
      const last = i === tokens.length - 1;
      node = child(node, token.name);
      const count = node.tables;
      const isArray = (last && array) || (count !== undefined && !last);
      put(node, {
        key: token.span,
        value: last && !isArray ? header : token.span,
        kind: isArray ? "array" : "table",
        implicit: !last || isArray,
      });
      if (last && array) {
        node.tables = (count ?? 0) + 1;
        node = child(node, count ?? 0);
        put(node, { key: header, value: header, kind: "table", implicit: false });
      } else if (count !== undefined) {
        node = child(node, count - 1);
      }
    }
    return node;
  }

  private keyValue(base: SpanNode): void {
    const tokens = this.key();
    let node = base;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as KeyToken;
      node = child(node, token.name);
      if (i < tokens.length - 1) put(node, { key: token.span, value: token.span, kind: "table", implicit: true });
    }
    this.skipBlank(false);
    if (this.text.charCodeAt(this.pos) !== EQUALS) throw new SyntaxError(`expected = at ${this.pos}`);
    this.pos++;
    this.skipBlank(false);
    this.value(node, tokens[tokens.length - 1]?.span);
  }

  /** A dotted key: each part's name and span. */
  private key(): KeyToken[] {
    const parts: KeyToken[] = [];
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
      parts.push({ name, span: { start, end: this.pos } });
      this.skipBlank(false);
      if (this.text.charCodeAt(this.pos) !== DOT) return parts;
      this.pos++;
    }
  }

  private value(node: SpanNode, key: Span | undefined): void {
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
    put(node, { key, value: { start, end: this.pos }, kind, implicit: false });
  }

  private array(node: SpanNode): void {
    this.pos++;
    for (let i = 0; ; i++) {
      this.skipBlank(true);
      if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) break;
      this.value(child(node, i), undefined);
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
    let i = this.pos + 3;
    const q = this.text;
    for (; i < q.length; i++) {
      const c = q.charCodeAt(i);
      if (c === 92 && quote === QUOTE) i++;
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

interface KeyToken {
  name: string;
  span: Span;
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
