import { type Diag, type DiagTarget, errorDiag, isJsonMap, type Json, type JsonMap } from "@cig/sdk";
import { block, groovyString, isGroovyIdentifier } from "./groovy-text.js";

// Provider tables are Jenkins' own syntax written as TOML. Keys become
// directive, step or argument names, so they must be Groovy identifiers;
// values are always literals (strings single-quoted), except the two keys
// whose value is Groovy code by definition: `expression` (a when condition)
// and `script` (a script block), pasted as written.
const CODE_KEYS = new Set(["expression", "script"]);

/** A JSON value as a Groovy literal: `'text'`, `3`, `true`, `['a', 'b']`, `[key: 'v']`. */
export function groovyLiteral(value: Json): string {
  if (typeof value === "string") return groovyString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(groovyLiteral).join(", ")}]`;
  const entries = Object.entries(value);
  if (entries.length === 0) return "[:]";
  return `[${entries.map(([k, v]) => `${mapKey(k)}: ${groovyLiteral(v)}`).join(", ")}]`;
}

function mapKey(key: string): string {
  return isGroovyIdentifier(key) ? key : groovyString(key);
}

/**
 * A step or option call: `true` → `name()`, a table → named arguments
 * `name(a: 1, b: 'x')`, a list → positional arguments, anything else → one
 * argument. `timestamps = true` → `timestamps()`, `retry = 2` → `retry(2)`.
 */
export function methodCall(name: string, value: Json): string {
  if (value === true) return `${name}()`;
  if (Array.isArray(value)) return `${name}(${value.map(groovyLiteral).join(", ")})`;
  if (isJsonMap(value)) return `${name}(${namedArgs(value)})`;
  return `${name}(${groovyLiteral(value)})`;
}

/** `a: 1, b: 'x'` for a named-argument call. */
export function namedArgs(map: JsonMap): string {
  return Object.entries(map)
    .map(([k, v]) => `${mapKey(k)}: ${groovyLiteral(v)}`)
    .join(", ");
}

/**
 * A declarative directive: a table → `name { … }` of nested directives, a
 * list → `name 'a', 'b'`, a scalar → `name 'value'`; `expression` and
 * `script` take Groovy code. `docker = { image = "node:20" }` → `docker { image 'node:20' }`.
 */
export function directive(name: string, value: Json, at: DiagTarget, diagnostics: Diag[]): string[] {
  if (!isGroovyIdentifier(name)) {
    diagnostics.push(badKey(name, at));
    return [];
  }
  if (CODE_KEYS.has(name) && typeof value === "string") return block(name, [value]);
  if (isJsonMap(value))
    return block(
      name,
      Object.entries(value).flatMap(([k, v]) => directive(k, v, at, diagnostics)),
    );
  if (Array.isArray(value)) return [`${name} ${value.map(groovyLiteral).join(", ")}`];
  return [`${name} ${groovyLiteral(value)}`];
}

/**
 * Step calls from a table: one call per key, in key order; `script` is a
 * script block of Groovy code. `{ archiveArtifacts = { artifacts = "dist/**" } }`
 * → `archiveArtifacts(artifacts: 'dist/**')`.
 */
export function stepCalls(table: JsonMap, at: DiagTarget, diagnostics: Diag[]): string[] {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(table)) {
    if (!isGroovyIdentifier(name)) diagnostics.push(badKey(name, at));
    else if (name === "script" && typeof value === "string") lines.push(...block("script", [value]));
    else lines.push(methodCall(name, value));
  }
  return lines;
}

/** Option calls (`options { … }`), each key a call as in {@link methodCall}. */
export function optionCalls(table: JsonMap, at: DiagTarget, diagnostics: Diag[]): string[] {
  return Object.entries(table).flatMap(([name, value]) => {
    if (isGroovyIdentifier(name)) return [methodCall(name, value)];
    diagnostics.push(badKey(name, at));
    return [];
  });
}

function badKey(key: string, at: DiagTarget): Diag {
  return errorDiag(
    "PROVIDER_JENKINS_BAD_PASSTHROUGH",
    `jenkins table key ${JSON.stringify(key)} is not a Groovy name`,
    `Keys of a jenkins = { … } table become directive, step or argument names in the Jenkinsfile, so they must be letters, digits and _ (not starting with a digit, not a Groovy keyword); ${JSON.stringify(key)} was left out.`,
    'Rename the key to the Jenkins directive or step it stands for, or use script = "…" for Groovy code.',
    at,
  );
}
