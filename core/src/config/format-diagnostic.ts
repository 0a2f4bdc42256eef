import { type Diagnostic, Diagnostic_Level } from "@cig/proto";
import { LineIndex } from "./line-index.js";

/** How {@link formatDiagnostic} renders. */
export interface FormatOptions {
  /** ANSI colours (the CLI passes its terminal's setting). Default: false. */
  color?: boolean;
}

const LEVELS: Record<number, [string, number]> = {
  [Diagnostic_Level.ERROR]: ["error", 31],
  [Diagnostic_Level.WARNING]: ["warning", 33],
  [Diagnostic_Level.INFO]: ["info", 36],
};

/**
 * Renders a diagnostic from the core or a plugin in the style of rustc and
 * cargo: the headline, `--> file:line:col`, the source line with carets under
 * the span (when `sourceText` is the text of loc.path), then the message when
 * it says more than the headline, and the hint. Never a stack trace.
 *
 * ```text
 * error[CIG_CONFIG_UNKNOWN_NEEDS]: job "deploy" needs "buld", which is not a job
 *   --> cig.toml:14:10
 *    |
 * 14 | needs = ["buld"]
 *    |          ^^^^^^
 *    = hint: Did you mean "build"?
 * ```
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string, options: FormatOptions = {}): string {
  const paint = (code: number, s: string) => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const [word, colour] = LEVELS[d.level] ?? ["error", 31];
  const plugin = d.plugin ? ` (${d.plugin})` : "";
  const head = `${paint(colour, `${word}[${d.code || "CIG"}]`)}: ${paint(1, d.title || d.message)}${plugin}`;
  const loc = d.loc;
  const line = loc && loc.line > 0 ? loc.line : 0;
  const gutter = " ".repeat(String(line || "").length);
  const bar = paint(34, `${gutter} |`);
  const out = [head];
  if (loc?.path) out.push(`${gutter}${paint(34, "-->")} ${loc.path}${line ? `:${line}${loc.column ? `:${loc.column}` : ""}` : ""}`);
  const text = line && sourceText !== undefined ? new LineIndex(sourceText.replace(/^\uFEFF/, "")).lineText(line) : undefined;
  if (loc && text !== undefined) {
    const { shown, start, width } = underline(text, loc.column, loc.endLine === loc.line ? loc.endColumn : 0);
    out.push(bar, `${paint(34, `${line} |`)} ${shown}`, `${bar} ${" ".repeat(start)}${paint(colour, "^".repeat(width))}`);
  }
  const more = d.message && d.message !== d.title ? d.message : "";
  if (more) out.push(...more.split("\n").map((l, i) => `${gutter} ${paint(34, "=")} ${i === 0 ? "note: " : "      "}${l}`));
  if (d.fixHint) out.push(`${gutter} ${paint(34, "=")} ${paint(36, "hint")}: ${d.fixHint}`);
  return `${out.join("\n")}\n`;
}

/**
 * The line with tabs expanded, and where the carets go: from `column` to
 * `endColumn` (exclusive, code points), to the end of the line when the span
 * goes on (`endColumn` 0), and always at least one caret.
 */
function underline(text: string, column: number, endColumn: number): { shown: string; start: number; width: number } {
  const at: number[] = [];
  let shown = "";
  let width = 0;
  for (const ch of text) {
    at.push(width);
    shown += ch === "\t" ? "    " : ch;
    width += ch === "\t" ? 4 : 1;
  }
  at.push(width);
  shown = shown.trimEnd();
  const length = [...shown].length;
  const display = (col: number) => at[Math.min(Math.max(col - 1, 0), at.length - 1)] ?? 0;
  const start = display(column);
  const end = endColumn === 0 ? length : endColumn > column ? Math.min(display(endColumn), Math.max(length, start + 1)) : start + 1;
  return { shown, start, width: Math.max(1, end - start) };
}
