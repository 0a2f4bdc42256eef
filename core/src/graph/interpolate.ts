/** The explicit prefixes of a reference: `{{ matrix.x }}`, `{{ vars.x }}`, `{{ facts.x }}`. */
export type ReferenceNamespace = "matrix" | "vars" | "facts";

/** What `{{ name }}` can refer to while interpolating one job. */
export interface InterpolationScope {
  /** Matrix keys of the job (its axes and the keys its `include` entries add). */
  readonly matrix: ReadonlySet<string>;
  /** The `[variables]` table. */
  readonly variables: Readonly<Record<string, string>>;
  /** Facts aggregated from the detect hook. */
  readonly facts: Readonly<Record<string, string>>;
}

/** A reference that names nothing in its scope. */
export interface UnknownReference {
  /** As written, e.g. "{{ rubby }}". */
  readonly text: string;
  /** The explicit prefix, if any. */
  readonly namespace: ReferenceNamespace | undefined;
  readonly name: string;
}

/** The result of {@link interpolate}. */
export interface Interpolated {
  readonly text: string;
  /** Unresolved references, first occurrence of each, in order of appearance. */
  readonly unknown: UnknownReference[];
}

// GitHub expressions (`${{ … }}`) are matched first so that they are skipped whole. A reference
// must be a name: `{{ .State.Status }}` (Go templates in docker commands) is not one and stays.
const REFERENCE = /\$\{\{[\s\S]*?\}\}|\{\{\s*(?:(matrix|vars|facts)\.)?([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;
const MATRIX_REFERENCE = /\$\{\{[\s\S]*?\}\}|\{\{\s*matrix\.([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** The normal form a matrix reference is left in for providers: `{{ matrix.<key> }}`. */
export function matrixPlaceholder(key: string): string {
  return `{{ matrix.${key} }}`;
}

/**
 * Replaces `{{ name }}` references in `text`. A bare name is looked up as a
 * matrix key, then in `[variables]`, then in the facts; the prefixed forms
 * look in one place only. Variables and facts are substituted (once — their
 * values are not scanned again); matrix references stay, normalised to
 * `{{ matrix.<key> }}`, because a provider may map them to native matrix
 * syntax. `${{ … }}` is never touched.
 */
export function interpolate(text: string, scope: InterpolationScope): Interpolated {
  // Most strings contain no reference; skip the regex for them.
  if (!text.includes("{{")) return { text, unknown: [] };
  const unknown: UnknownReference[] = [];
  const seen = new Set<string>();
  const out = text.replace(REFERENCE, (match: string, ns: string | undefined, name: string | undefined) => {
    if (name === undefined) return match;
    const namespace = ns as ReferenceNamespace | undefined;
    const value = resolve(namespace, name, scope);
    if (value !== undefined) return value;
    const key = `${namespace ?? ""}.${name}`;
    if (!seen.has(key)) {
      seen.add(key);
      unknown.push({ text: match, namespace, name });
    }
    return match;
  });
  return { text: out, unknown };
}

function resolve(namespace: ReferenceNamespace | undefined, name: string, scope: InterpolationScope): string | undefined {
  if ((namespace === undefined || namespace === "matrix") && scope.matrix.has(name)) return matrixPlaceholder(name);
  if ((namespace === undefined || namespace === "vars") && Object.hasOwn(scope.variables, name)) return scope.variables[name];
  if ((namespace === undefined || namespace === "facts") && Object.hasOwn(scope.facts, name)) return scope.facts[name];
  return undefined;
}

/** The names a reference of `namespace` could have meant, for did-you-mean hints. */
export function knownNames(namespace: ReferenceNamespace | undefined, scope: InterpolationScope): string[] {
  const names: string[] = [];
  if (namespace === undefined || namespace === "matrix") names.push(...scope.matrix);
  if (namespace === undefined || namespace === "vars") names.push(...Object.keys(scope.variables));
  if (namespace === undefined || namespace === "facts") names.push(...Object.keys(scope.facts));
  return names;
}

/**
 * Rewrites every `{{ matrix.<key> }}` in `text` with `replace(key)`; GitHub
 * expressions are left alone. A provider with native matrices maps the
 * references to its syntax with this (`(k) => "${{ matrix." + k + " }}"`).
 */
export function replaceMatrixRefs(text: string, replace: (key: string) => string): string {
  if (!text.includes("{{")) return text;
  return text.replace(MATRIX_REFERENCE, (match: string, key: string | undefined) => (key === undefined ? match : replace(key)));
}

/**
 * Substitutes one variant's matrix values for its `{{ matrix.<key> }}`
 * references, for providers without a native matrix. A key the variant lacks
 * (one only some `include` entries add) becomes "", as on GitHub Actions.
 */
export function substituteMatrix(text: string, values: Readonly<Record<string, string>>): string {
  return replaceMatrixRefs(text, (key) => (Object.hasOwn(values, key) ? (values[key] ?? "") : ""));
}
