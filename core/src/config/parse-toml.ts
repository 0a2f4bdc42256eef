import { create } from "@bufbuild/protobuf";
import { type Diagnostic, SourceLocationSchema } from "@cig/proto";
import { parse, TomlDate, TomlError } from "smol-toml";
import { configDiagnostic } from "./config-codes.js";
import { LineIndex } from "./line-index.js";

/** The parsed document as plain data: tables, arrays, strings, numbers, booleans; dates become strings. */
export type PlainTable = { [key: string]: PlainValue };
/** One value of {@link PlainTable}. */
export type PlainValue = string | number | boolean | PlainValue[] | PlainTable;

/** The document, or the one syntax error that stopped the parser. */
export type ParseOutcome = { ok: true; data: PlainTable } | { ok: false; diagnostic: Diagnostic };

// smol-toml's messages are precise but terse; each gets a hint saying what to write instead.
const HINTS: [RegExp, string][] = [
  [/redefine/, "Each key and each [table] may appear once; merge the two definitions (dotted keys and [table] headers count too)."],
  [/unsafe/, "Rename the key: __proto__, constructor and prototype are not allowed as keys."],
  [/losslessly/, 'Integers must fit in 53 bits; quote large numbers as strings: "12345678901234567890".'],
  [/end-of-line/, "Put each key = value on its own line; a comment starts with #."],
  [/string|escape/, 'Close the string on the same line, use """ for a string spanning lines, and write a backslash as \\\\.'],
  [/array|structure|table/, "Separate array and inline-table entries with commas and close them with ] or }."],
  [/key/, 'Write key = value; bare keys may use only A-Z a-z 0-9 _ -, so quote other keys: "my key" = 1.'],
  [/date/, 'Write dates as 2024-05-27, or quote them to get a string: "2024-05-27".'],
  [/zero|underscore|numeric/, 'Check the number; quote values like versions as strings: "08".'],
  [/invalid value/, 'Strings need quotes: name = "value"; arrays use [ ], tables { } or a [header].'],
];

/**
 * Parses TOML 1.1 with smol-toml. A syntax error becomes one CIG_CONFIG_SYNTAX
 * diagnostic at the exact line and column; TOML parsers stop at the first
 * error, so a file with a syntax error reports only that.
 */
export function parseToml(text: string, file: string): ParseOutcome {
  try {
    // Unsafe keys are refused so that no later `obj[key] = …` can touch a prototype.
    return { ok: true, data: plain(parse(text, { unsafeKeyBehaviour: "throw" })) as PlainTable };
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const what = (err.message.split("\n")[0] ?? "").replace(/^Invalid TOML document:\s*/, "").trim() || "invalid TOML";
    const lines = new LineIndex(text);
    const column = lines.column(err.line, err.column);
    return {
      ok: false,
      diagnostic: configDiagnostic({
        code: "CIG_CONFIG_SYNTAX",
        title: `invalid TOML: ${what}`,
        message: `${file} is not valid TOML (https://toml.io/en/v1.1.0): ${what}.`,
        hint: HINTS.find(([re]) => re.test(what))?.[1] ?? "Fix the TOML syntax at the marked position.",
        loc: create(SourceLocationSchema, { path: file, line: err.line, column, endLine: err.line, endColumn: column + 1 }),
      }),
    };
  }
}

/**
 * Copies smol-toml's output into plain data: objects with the usual
 * prototype (smol-toml's have none), TOML dates and times as their text.
 * Loops rather than entries/map: a 400 KB cig.toml is ~50,000 values.
 */
function plain(value: unknown): PlainValue {
  if (typeof value !== "object" || value === null) return typeof value === "bigint" ? Number(value) : (value as string | number | boolean);
  if (Array.isArray(value)) {
    return value.map(plain);
  }
  if (value instanceof TomlDate || value instanceof Date) return value.toISOString();
  const out: PlainTable = {};
  const table = value as Record<string, unknown>;
  for (const k in table) out[k] = plain(table[k]);
  return out;
}
