import { isJsonMap, type Json } from "@cig/sdk";

// `{{ matrix.ruby }}` as the core leaves it for providers. Not preceded by
// `$`: `${{ matrix.ruby }}` is GitHub expression syntax and stays as is.
const PLACEHOLDER = /(?<!\$)\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}/g;

/**
 * `text` with every `{{ matrix.<axis> }}` as `<< parameters.<axis> >>`, the
 * job parameter that carries the axis on CircleCI. A placeholder naming an
 * axis the job lacks stays as written and is added to `unknown`.
 */
export function bindParameters(text: string, axes: readonly string[], unknown: Set<string>): string {
  if (!text.includes("{{")) return text;
  return text.replace(PLACEHOLDER, (whole, axis: string) => {
    if (!axes.includes(axis)) {
      unknown.add(axis);
      return whole;
    }
    return `<< parameters.${axis} >>`;
  });
}

/** A deep copy of `value` with every string bound by {@link bindParameters}. Keys are left alone. */
export function bindParametersDeep(value: Json, axes: readonly string[], unknown: Set<string>): Json {
  if (typeof value === "string") return bindParameters(value, axes, unknown);
  if (Array.isArray(value)) return value.map((v) => bindParametersDeep(v, axes, unknown));
  if (isJsonMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bindParametersDeep(v, axes, unknown)]));
  return value;
}
