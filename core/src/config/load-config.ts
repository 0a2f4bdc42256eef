import type { CigSchema, Diagnostic, SourceLocation } from "@cig/proto";
import { compareDiagnostics, isError } from "./config-codes.js";
import { type DocPath, toPointer } from "./document-path.js";
import { type ParseOutcome, type PlainTable, parseToml } from "./parse-toml.js";
import type { RawConfig } from "./raw-config.js";
import { translateSchemaErrors } from "./schema-errors.js";
import { validateStructure } from "./schema-validator.js";
import { semanticChecks } from "./semantic-checks.js";
import { SourceMap } from "./source-map.js";
import { toCigSchema } from "./to-cig-schema.js";
import { checkVersion } from "./version-check.js";

/** What {@link loadConfig} found. */
export interface ConfigResult {
  /** The parsed file; undefined when any diagnostic is an error, so later stages never see a broken config. */
  schema: CigSchema | undefined;
  /** Every problem found, errors and warnings, in file order. */
  diagnostics: Diagnostic[];
  /** True when no diagnostic is an error (warnings allowed). */
  ok: boolean;
  /**
   * Where the value at `path` is written, e.g. `locate(["jobs", "test", "needs", 0])`
   * → cig.toml:14:10–14:16; the nearest written ancestor for a path not in the
   * file (a default); undefined only when the file is not valid TOML.
   */
  locate(path: DocPath): SourceLocation | undefined;
  /** Like {@link ConfigResult.locate}, but the key naming the value (`test` in `[jobs.test]`). */
  locateKey(path: DocPath): SourceLocation | undefined;
}

/**
 * Reads a cig.toml: parses it (TOML 1.1), checks it against
 * core/schema/cig.schema.json and the rules a schema cannot express, and maps
 * it to the protocol's CigSchema. Every problem is reported in one run, each
 * with a `CIG_CONFIG_…` code, `file:line:col`, message and hint; only a
 * syntax error (or a file from a newer cig) ends the checks early. Never
 * throws for anything in `text`.
 *
 * @param source the file's contents
 * @param file its repo-relative path with "/" separators, e.g. "cig.toml" (used in locations)
 * @param parsedData `source` as parseToml already parsed it, when the caller has that (saves a parse)
 */
export function loadConfig(source: string, file: string, parsedData?: PlainTable): ConfigResult {
  // A byte order mark is no column for editors.
  const bom = source.startsWith("\uFEFF");
  const text = bom ? source.slice(1) : source;
  // The pipeline parsed the text already to start plugins early (same text, no BOM): no second parse.
  const parsed: ParseOutcome = parsedData && !bom ? { ok: true, data: parsedData } : parseToml(text, file);
  if (!parsed.ok) {
    return { schema: undefined, diagnostics: [parsed.diagnostic], ok: false, locate: () => undefined, locateKey: () => undefined };
  }
  const map = SourceMap.build(text, file);
  const located = { locate: (p: DocPath) => map.locate(p), locateKey: (p: DocPath) => map.locateKey(p) };
  const version = checkVersion(parsed.data, map, file);
  const diagnostics = [...version.diagnostics];
  if (!version.stop) {
    const floats = new Set(map.floats().map(toPointer));
    diagnostics.push(...translateSchemaErrors(validateStructure(parsed.data, floats), parsed.data, map));
    diagnostics.push(...semanticChecks(parsed.data, map));
  }
  diagnostics.sort(compareDiagnostics);
  const ok = !diagnostics.some(isError);
  const schema = ok ? toCigSchema(parsed.data as unknown as RawConfig, file, map) : undefined;
  return { schema, diagnostics, ok, ...located };
}
