import { type Diagnostic, Diagnostic_Level } from "@cig/proto";

export { Diagnostic_Level };

/** A diagnostic as plain JSON: level as a word, location as `file:line:col`. */
export function toJsonDiagnostic(d: Diagnostic) {
  const loc = d.loc?.path ? `${d.loc.path}${d.loc.line ? `:${d.loc.line}${d.loc.column ? `:${d.loc.column}` : ""}` : ""}` : undefined;
  return {
    level: (Diagnostic_Level[d.level] ?? "UNSPECIFIED").toLowerCase(),
    code: d.code,
    title: d.title,
    message: d.message,
    hint: d.fixHint,
    ...(loc ? { location: loc } : {}),
    ...(d.plugin ? { plugin: d.plugin } : {}),
  };
}
