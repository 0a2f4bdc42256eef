// `{{ matrix.ruby }}` as the core leaves it for providers. Not preceded by
// `$`: `${{ matrix.ruby }}` is already a GitHub expression and stays as is.
const PLACEHOLDER = /(?<!\$)\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}/g;

/** The axes `text` refers to through `{{ matrix.<axis> }}`, in order of appearance. */
export function matrixAxesIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/**
 * `text` with every `{{ matrix.<axis> }}` replaced by the variant's value,
 * for providers that render one job per variant. Placeholders naming an
 * axis the variant lacks stay as written and are added to `unknown` (when
 * given), for a diagnostic.
 */
export function bindMatrixValues(text: string, values: Readonly<Record<string, string>>, unknown?: Set<string>): string {
  if (!text.includes("{{")) return text;
  return text.replace(PLACEHOLDER, (whole, axis: string) => {
    const value = values[axis];
    if (value === undefined) {
      unknown?.add(axis);
      return whole;
    }
    return value;
  });
}
