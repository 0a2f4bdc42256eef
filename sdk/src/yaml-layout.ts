// The layout every YAML-writing provider uses, so that files for different
// platforms read alike and a change of style happens everywhere at once:
// lines never folded (a folded command is hard to read and to diff), block
// scalars for multi-line strings, list items indented under their key, and
// short scalar lists inline.

/** Widest an inline scalar list (`[a, b]`) may get, in columns, before it is written one item per line. */
export const MAX_FLOW_WIDTH = 80;

/**
 * Options for the `yaml` library's `Document.toString`: no line folding,
 * `|` block scalars, empty nulls, indented sequences, `[a, b]` without inner
 * padding. A plain object, so the SDK needs no dependency on `yaml`.
 */
export const YAML_WRITE_OPTIONS = {
  lineWidth: 0,
  minContentWidth: 0,
  nullStr: "",
  blockQuote: "literal",
  indentSeq: true,
  flowCollectionPadding: false,
} as const;

/**
 * True when scalars `values` written as an inline list stay within
 * {@link MAX_FLOW_WIDTH}: each item counts its text plus 4 (quotes, comma,
 * space, as if quoted), the brackets 2.
 */
export function fitsInline(values: readonly unknown[]): boolean {
  return values.reduce<number>((n, v) => n + String(v).length + 4, 2) <= MAX_FLOW_WIDTH;
}
