import { isJsonMap, type Json } from "@cig/sdk";

// `{{ matrix.ruby }}` as the core leaves it for providers. Not preceded by
// `$`: `${{ matrix.ruby }}` is already a GitHub expression and stays as is.
const PLACEHOLDER = /(?<!\$)\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}/g;

/**
 * How one rendered GitHub job sees the matrix: a job grouped under
 * `strategy.matrix` refers to `${{ matrix.<axis> }}`; a job rendered per
 * variant gets the variant's literal values.
 */
export interface MatrixBinding {
  grouped: boolean;
  /** This variant's values (for a grouped job: the axes it may reference). */
  values: Readonly<Record<string, string>>;
}

/** The axes a string refers to through `{{ matrix.<axis> }}`, in order of appearance. */
export function matrixAxesIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/**
 * `text` with its placeholders bound: `${{ matrix.x }}` or the literal value.
 * Placeholders naming an axis the variant lacks stay untouched and are
 * returned in `unknown`, for a diagnostic.
 */
export function bindMatrix(text: string, binding: MatrixBinding, unknown: Set<string>): string {
  return text.replace(PLACEHOLDER, (whole, axis: string) => {
    const value = binding.values[axis];
    if (value === undefined) {
      unknown.add(axis);
      return whole;
    }
    return binding.grouped ? `\${{ matrix.${axis} }}` : value;
  });
}

/**
 * `text` as a GitHub expression fragment: a string literal, or a `format()`
 * call when it contains placeholders of a grouped matrix. Used inside
 * `${{ }}` (hashFiles arguments), where a nested `${{ }}` would be invalid.
 */
export function expressionString(text: string, binding: MatrixBinding, unknown: Set<string>): string {
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  if (!binding.grouped || matrixAxesIn(text).length === 0) return quote(bindMatrix(text, binding, unknown));
  const args: string[] = [];
  const template = text
    .replace(/[{}]/g, (brace) => brace + brace)
    .replace(/(?<!\$)\{\{\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}\}\}/g, (whole, axis: string) => {
      if (binding.values[axis] === undefined) {
        unknown.add(axis);
        return whole;
      }
      args.push(`matrix.${axis}`);
      return `{${args.length - 1}}`;
    });
  return `format(${[quote(template), ...args].join(", ")})`;
}

/** A deep copy of `value` with every string bound by {@link bindMatrix}. Keys are left alone. */
export function bindMatrixDeep(value: Json, binding: MatrixBinding, unknown: Set<string>): Json {
  if (typeof value === "string") return bindMatrix(value, binding, unknown);
  if (Array.isArray(value)) return value.map((v) => bindMatrixDeep(v, binding, unknown));
  if (isJsonMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bindMatrixDeep(v, binding, unknown)]));
  return value;
}
