import type { Job, Service } from "@cig/proto";

// Service modules fill in {{ }} in what the user declared before laying it
// over their defaults (the core interpolates jobs, not contributions).

// As core/src/graph/interpolate.ts: `${{ … }}` is skipped whole; a reference is a name.
const REFERENCE = /\$\{\{[\s\S]*?\}\}|\{\{\s*(?:(matrix|vars|facts)\.)?([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** What `{{ name }}` can refer to in one job. */
export interface Scope {
  variables: Readonly<Record<string, string>>;
  facts: Readonly<Record<string, string>>;
}

/**
 * The declared service with `{{ }}` references in its image and env filled in
 * the way the core fills in cig.toml: a matrix key stays as `{{ matrix.<key> }}`
 * for the provider, then `[variables]`, then facts; an unknown reference stays
 * as written (the core reports it on its own copy). Needed because the core
 * interpolates the job's copy of the service, not the one a module proposes
 * with the declared keys in it.
 */
export function interpolateDeclared(declared: Service, job: Job, scope: Scope): Service {
  const matrix = new Set([
    ...(job.matrix?.axes.map((a) => a.name) ?? []),
    ...(job.matrix?.include.flatMap((c) => Object.keys(c.values)) ?? []),
  ]);
  const fill = (text: string) =>
    text.replace(REFERENCE, (whole: string, ns: string | undefined, name: string | undefined) => {
      if (name === undefined) return whole;
      if ((ns === undefined || ns === "matrix") && matrix.has(name)) return `{{ matrix.${name} }}`;
      if ((ns === undefined || ns === "vars") && Object.hasOwn(scope.variables, name)) return scope.variables[name] ?? whole;
      if ((ns === undefined || ns === "facts") && Object.hasOwn(scope.facts, name)) return scope.facts[name] ?? whole;
      return whole;
    });
  return {
    ...declared,
    image: fill(declared.image),
    env: Object.fromEntries(Object.entries(declared.env).map(([k, v]) => [k, fill(v)])),
  };
}
