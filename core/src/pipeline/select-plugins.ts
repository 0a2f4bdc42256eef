import type { CigSchema, Output } from "@cig/proto";
import type { PluginCommand } from "../plugin-host/plugin-process.js";

/** Std plugins that are modules (as opposed to providers). */
const MODULE_PREFIXES = ["lang/", "db/", "cache/", "browser/", "policy/"];

/** A module manifest's `[provides]`: what in cig.toml asks for the module. */
export interface ModuleProvides {
  /** Names in a job's `packages` ("node", "nodejs"). */
  packages: string[];
  /** Service names in a job's `services` ("postgres"). */
  services: string[];
  /** Facts its detect reports, usable as `{{ fact }}` in cig.toml ("ruby_version"). */
  facts: string[];
  /**
   * Files that decide what the module installs (lockfiles, tool-version files), as globs relative to
   * cig.toml's directory: inputs of the work signature of every job using one of its packages.
   */
  inputs?: string[];
}

/** Which std modules a run starts: all of them (`cig init`), or the ones cig.toml uses. */
export interface ModuleSelection {
  /** The parsed cig.toml; or, before it is checked, the raw TOML data (see {@link usesFromRaw}). */
  schema: CigSchema | RawUses;
  /** The text of cig.toml, for `{{ fact }}` references. */
  text: string;
  /** Std module name → its manifest's provides; a module missing here is always started. */
  provides: ReadonlyMap<string, ModuleProvides>;
}

/**
 * The plugins a run starts: the provider plugin of each output's provider,
 * and each std module cig.toml uses — through a job's `packages` or
 * `services`, a `uses = "<module>@…"` step, or a `{{ fact }}` the module
 * detects. Without `used`, every std module (what `cig init` needs to
 * detect a repository). Starting a module costs ~100 ms of CPU; on two
 * cores the unused ones were a third of a typical render.
 */
export function selectPlugins(
  std: ReadonlyMap<string, string>,
  outputs: readonly Output[],
  cwd: string,
  used?: ModuleSelection,
): PluginCommand[] {
  const providers = new Set(outputs.map((o) => `provider/${o.provider}`));
  const wanted = used ? usedModules(used) : undefined;
  // Std modules by their prefix; a registry plugin (any other name that is not a provider) too.
  const isModule = (name: string) => MODULE_PREFIXES.some((p) => name.startsWith(p)) || !name.startsWith("provider/");
  return [...std.entries()]
    .filter(([name]) => providers.has(name) || (isModule(name) && (!wanted || !used?.provides.has(name) || wanted.has(name))))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, command]) => ({ command, displayName: name, expectName: name, cwd }));
}

/** What cig.toml asks for, read from the raw TOML data before the schema check. */
export interface RawUses {
  raw: true;
  packages: Set<string>;
  services: Set<string>;
  refs: Set<string>;
}

/**
 * The packages, services and `uses` module names of the raw (parsed but not
 * yet checked) cig.toml, so that plugins can start while it is checked;
 * values of the wrong type are ignored (the check reports them).
 */
export function usesFromRaw(data: Record<string, unknown>): RawUses {
  const out: RawUses = { raw: true, packages: new Set(), services: new Set(), refs: new Set() };
  const table = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  for (const job of Object.values(table(data.jobs) ?? {})) {
    const j = table(job);
    if (!j) continue;
    for (const p of strings(j.packages)) out.packages.add(p);
    for (const s of Array.isArray(j.services) ? strings(j.services) : Object.keys(table(j.services) ?? {})) out.services.add(s);
    for (const step of Array.isArray(j.steps) ? j.steps : []) {
      const uses = table(step)?.uses;
      if (typeof uses === "string") out.refs.add(uses.replace(/@.*$/, ""));
    }
  }
  return out;
}

function usesFromSchema(schema: CigSchema): RawUses {
  const refs = new Set<string>();
  for (const j of schema.jobs) {
    for (const s of j.steps) if (s.action.case === "uses") refs.add(s.action.value.ref.replace(/@.*$/, ""));
  }
  return {
    raw: true,
    packages: new Set(schema.jobs.flatMap((j) => j.packages)),
    services: new Set(schema.jobs.flatMap((j) => j.services.map((s) => s.name))),
    refs,
  };
}

function usedModules({ schema, text, provides }: ModuleSelection): Set<string> {
  const { packages, services, refs } = "raw" in schema ? schema : usesFromSchema(schema);
  const names = new Set([...text.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((m) => m[1] as string));
  const out = new Set<string>();
  for (const [name, p] of provides) {
    if (
      refs.has(name) ||
      p.packages.some((x) => packages.has(x)) ||
      p.services.some((x) => services.has(x)) ||
      p.facts.some((x) => names.has(x))
    ) {
      out.add(name);
    }
  }
  return out;
}
