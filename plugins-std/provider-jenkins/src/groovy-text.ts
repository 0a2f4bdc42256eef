/**
 * Groovy text primitives. Every user string reaches the Jenkinsfile through
 * {@link groovyString}: a single-quoted literal, which Groovy never
 * interpolates, so `$`, `${…}` and backslashes reach Jenkins (and the shell)
 * exactly as written. Nothing here builds a GString from user text.
 */

/** Four spaces: the indentation Groovy style (and CodeNarc) expects. */
export const INDENT = "    ";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Groovy keywords cannot name a directive, a step or a named argument unquoted.
const KEYWORDS = new Set(
  (
    "abstract as assert boolean break byte case catch char class const continue def default do double else enum extends false " +
    "final finally float for goto if implements import in instanceof int interface long native new null package private " +
    "protected public return short static strictfp super switch synchronized this throw throws trait transient true try var void volatile while"
  ).split(" "),
);

/** True when `name` can be written bare in Groovy: a directive, step or variable name. */
export function isGroovyIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && !KEYWORDS.has(name);
}

// Characters escaped inside a literal: the backslash and the quote (so no
// user text can close the string), control characters and the Unicode line
// separators (so none can start a new line), as Groovy escapes.
function escapeChar(ch: string, multiLine: boolean): string {
  if (ch === "\\") return "\\\\";
  if (ch === "'") return "\\'";
  if (ch === "\n") return multiLine ? "\n" : "\\n";
  if (ch === "\r") return "\\r";
  if (ch === "\t") return "\t";
  return `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`;
}

// True for characters that must not appear raw in a literal: controls and the Unicode line separators.
function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029;
}

/**
 * `text` as an inert Groovy string literal: `'…'`, or a triple-quoted one when
 * it spans lines (so a multi-line script stays readable, one line per line).
 * Inside both forms `\` and `'` are escaped, so three quotes in the text cannot end the
 * literal, and single quotes mean Groovy interpolates nothing.
 */
export function groovyString(text: string): string {
  const multiLine = text.includes("\n");
  let body = "";
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    body += ch === "\\" || ch === "'" || (isControl(code) && ch !== "\t" && !(multiLine && ch === "\n")) ? escapeChar(ch, multiLine) : ch;
  }
  return multiLine ? `'''${body}'''` : `'${body}'`;
}

/**
 * `value` as JSON that is safe inside a `//` comment: one line whatever it
 * holds (JSON escapes control characters; the Unicode line separators and
 * everything beyond ASCII are escaped too).
 */
export function commentJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`);
}

/** `head {`, the body indented one level, `}`: the shape of every Groovy block here. */
export function block(head: string, body: readonly string[]): string[] {
  return [`${head} {`, ...body.map((line) => (line === "" ? "" : INDENT + line)), "}"];
}
