import { type DocPath, formatKey, formatPath } from "./document-path.js";

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  array: "an array",
  object: "a table",
};

/** "a string or a table" for Ajv's type list. */
export function describeTypes(types: unknown): string {
  const list = Array.isArray(types) ? types : [types];
  return list.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(" or ");
}

/** A value as a user wrote it: the source text for scalars, "a table" / "an array" for the rest. */
export function describeValue(value: unknown, raw: string | undefined): string {
  if (Array.isArray(value)) return "an array";
  if (value !== null && typeof value === "object") return "a table";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return raw ?? String(value);
}

/** The key `path` is written under, for hints like `timeout = 10`; array elements have none. */
function keyOf(path: DocPath): string | undefined {
  const last = path.at(-1);
  return typeof last === "string" ? formatKey(last) : undefined;
}

function assign(path: DocPath, text: string): string {
  const key = keyOf(path);
  return key === undefined ? text : `${key} = ${text}`;
}

const DURATION = /^\s*(\d+)\s*(s|sec|secs|seconds|m|min|mins|minutes|h|hr|hrs|hours)?\s*$/i;

/**
 * What to write instead of a value of the wrong type: quote it, drop the
 * quotes and the unit, wrap it in brackets. Phrased as a replacement line
 * the user can copy.
 */
export function typeHint(types: readonly string[], expected: string, value: unknown, raw: string | undefined, path: DocPath): string {
  const text = raw ?? JSON.stringify(value);
  if (types.includes("string") && (typeof value === "number" || typeof value === "boolean")) {
    return `Quote it: ${assign(path, JSON.stringify(text))}.`;
  }
  if (types.includes("integer") && typeof value === "string") {
    const m = DURATION.exec(value);
    if (m) return `Write the number without quotes or unit: ${assign(path, String(inUnit(Number(m[1]), m[2] ?? "", expected)))}.`;
    return `Write ${expected} without quotes, e.g. ${assign(path, "30")}.`;
  }
  if (types.includes("integer") && typeof value === "number")
    return `Use ${expected}, e.g. ${assign(path, String(Math.max(1, Math.round(value))))}.`;
  if (types.includes("boolean") && (value === "true" || value === "false")) return `Drop the quotes: ${assign(path, value)}.`;
  if (types.includes("array") && !Array.isArray(value) && (value === null || typeof value !== "object")) {
    return `Write it as an array: ${assign(path, `[${text}]`)}.`;
  }
  if (types.includes("array") && value !== null && typeof value === "object" && !Array.isArray(value)) {
    return `Write an array: [[${formatPath(path)}]] before each entry, or ${assign(path, "[{ … }, { … }]")}.`;
  }
  if (types.includes("object") && !types.includes("array")) return `Write it as a table: ${assign(path, "{ … }")} or a [header] section.`;
  return `Write ${expected} here (see docs/cig-toml.md).`;
}

/** `n` of `unit` (s, m, h, …) converted to the unit `expected` names; unitless numbers are taken as they are. */
function inUnit(n: number, unit: string, expected: string): number {
  const seconds = { s: 1, m: 60, h: 3600 }[unit.toLowerCase().charAt(0)];
  if (seconds === undefined) return n;
  if (expected.includes("seconds")) return n * seconds;
  if (expected.includes("minutes")) return Math.max(1, Math.ceil((n * seconds) / 60));
  return n;
}

/** A name made valid for `pattern`-checked names: invalid characters become -, a bad first character gets a _ in front. */
export function sanitizeName(name: string, allowDot: boolean): string {
  const body = name.replace(allowDot ? /[^A-Za-z0-9_.-]+/g : /[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");
  if (body === "") return "_";
  return /^[A-Za-z_]/.test(body) || (allowDot && /^[0-9]/.test(body)) ? body : `_${body}`;
}
