import { addressProblem, parsePluginAddress } from "./plugin-address.js";
import { defaultRegistryHost } from "./registry-hosts.js";
import type { Constraint } from "./resolve-versions.js";

/** What cig.toml asks of registries. */
export interface PluginRequirements {
  /** Version ranges on registry plugins, with where each is written. */
  roots: Constraint[];
  /** Std plugin ids that `[plugins]` takes from a registry instead. */
  overrides: Set<string>;
  /** Ids listed in `[plugins]`: started on every run, whatever the config uses. */
  listed: Set<string>;
}

// A module ref's version is a semver range ("~1.2", "^2.0", ">=1.1", "1.x", "*"), an action's a
// git ref ("v4", "main"); the same rule providers apply (sdk isModuleRef).
const RANGE = /[~^<>=*\s|]|(^|\.)[xX](\.|$)/;

/** Does a step's `uses` name a cig module (rather than a provider action)? */
export function isModuleUses(ref: string): boolean {
  if (ref.startsWith("./") || ref.startsWith("docker://")) return false;
  const at = ref.lastIndexOf("@");
  return (at < 0 || RANGE.test(ref.slice(at + 1))) && addressProblem(ref) === undefined;
}

type Table = Record<string, unknown>;
const table = (v: unknown): Table | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Table) : undefined);

/**
 * Reads the registry plugins out of cig.toml's data: `[plugins]` entries and
 * `uses` steps naming a module that is not a std one. Entries of the wrong
 * shape are skipped: the config check reports them with their position.
 */
export function pluginRequirements(data: Table, std: ReadonlySet<string>, env: NodeJS.ProcessEnv = process.env): PluginRequirements {
  const roots: Constraint[] = [];
  const listed = new Set<string>();
  const fallback = defaultRegistryHost(env);
  for (const [id, ref] of Object.entries(table(data.plugins) ?? {})) {
    const range = typeof ref === "string" ? ref : table(ref)?.version;
    const source = table(ref)?.source;
    if (typeof range !== "string" || addressProblem(`${id}@${range}`)) continue;
    listed.add(id);
    roots.push({ id, host: typeof source === "string" ? source.toLowerCase() : fallback, range, from: `cig.toml [plugins] "${id}"` });
  }
  for (const [job, raw] of Object.entries(table(data.jobs) ?? {})) {
    const steps = table(raw)?.steps;
    if (!Array.isArray(steps)) continue;
    steps.forEach((step, i) => {
      const uses = table(step)?.uses;
      if (typeof uses !== "string" || !isModuleUses(uses)) return;
      const a = parsePluginAddress(uses);
      if (std.has(a.id) && !listed.has(a.id)) return;
      const entry = roots.find((r) => r.id === a.id && r.from.includes("[plugins]"));
      roots.push({ id: a.id, host: a.host ?? entry?.host ?? fallback, range: a.constraint, from: `cig.toml jobs.${job}.steps[${i}]` });
    });
  }
  return { roots, overrides: new Set([...listed].filter((id) => std.has(id))), listed };
}
