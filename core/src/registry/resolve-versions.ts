import semver from "semver";
import { CigError } from "../errors/cig-error.js";
import { parsePluginAddress } from "./plugin-address.js";
import type { PluginSource, VersionSummary } from "./plugin-source.js";

/** One version range on a plugin, and who set it. */
export interface Constraint {
  id: string;
  host: string;
  range: string;
  /** "cig.toml [plugins]", "cig.toml jobs.test.steps[0]", "lang/rails@2.0.0 (requires)". */
  from: string;
}

/** A plugin's chosen version. */
export interface Resolved {
  id: string;
  host: string;
  version: string;
  summary: VersionSummary;
  /** Every constraint on it, for the lock's `constraints`. */
  constraints: Constraint[];
}

export interface ResolveOptions {
  source: PluginSource;
  /** Versions the lock holds: kept while they satisfy every constraint (unless `upgrade`). */
  locked: ReadonlyMap<string, string>;
  upgrade: boolean;
  /** Std plugin id → the version shipped with the core: `requires` on these are checked, not resolved. */
  builtin: ReadonlyMap<string, string>;
}

/**
 * Chooses one version per plugin so that every constraint holds: the roots
 * (cig.toml) and, transitively, the `requires` of each chosen version. A
 * locked version is tried first while it fits (unless `upgrade`), then the
 * others from the highest, yanked ones never. A depth-first search with
 * backtracking: when lang/rails 2 needs a lang/ruby that cig.toml excludes,
 * lang/rails 1 is tried. Plugins are decided in name order, so the answer is
 * the same on every run. When nothing fits, the first conflict met names who
 * wants what.
 */
export async function resolveVersions(roots: readonly Constraint[], opts: ResolveOptions): Promise<Resolved[]> {
  const listings = new Map<string, Promise<VersionSummary[]>>();
  const list = (c: Constraint) => {
    const key = `${c.host}/${c.id}`;
    let p = listings.get(key);
    if (!p) {
      p = opts.source.versions(c.host, c.id);
      listings.set(key, p);
    }
    return p;
  };
  let firstConflict: CigError | undefined;
  let steps = 0;
  const constraintsOf = (chosen: ReadonlyMap<string, Resolved>): Map<string, Constraint[]> => {
    const all = [...roots];
    for (const r of chosen.values()) {
      for (const req of r.summary.requires) {
        const a = parsePluginAddress(req, `${r.id}@${r.version} requires`);
        all.push({ id: a.id, host: a.host ?? r.host, range: a.constraint, from: `${r.id}@${r.version} (requires)` });
      }
    }
    const byId = new Map<string, Constraint[]>();
    for (const c of all) byId.set(c.id, [...(byId.get(c.id) ?? []), c]);
    return byId;
  };
  const solve = async (chosen: Map<string, Resolved>): Promise<Map<string, Resolved> | undefined> => {
    if (++steps > 10_000)
      throw new CigError(
        "CIG_RESOLVE_CONFLICT",
        "plugin versions could not be resolved in 10,000 steps",
        "Pin the plugins involved to exact versions in [plugins].",
      );
    const byId = constraintsOf(chosen);
    for (const [id, cs] of [...byId].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const builtin = opts.builtin.get(id);
      if (builtin !== undefined) {
        const unmet = cs.filter((c) => !semver.satisfies(builtin, c.range));
        if (unmet.length === 0) continue;
        firstConflict ??= builtinConflict(id, builtin, unmet);
        return undefined;
      }
      const hosts = [...new Set(cs.map((c) => c.host))];
      if (hosts.length > 1)
        throw conflict(id, cs, `${id} is asked for from several registries (${hosts.join(", ")})`, "Name the same registry everywhere.");
      const have = chosen.get(id);
      if (have) {
        if (cs.every((c) => semver.satisfies(have.version, c.range))) continue;
        return undefined;
      }
      const versions = await list(cs[0] as Constraint);
      const fits = versions.filter((v) => cs.every((c) => semver.satisfies(v.version, c.range)));
      const locked = opts.upgrade ? undefined : fits.find((v) => v.version === opts.locked.get(id));
      const rest = fits.filter((v) => !v.yanked && v !== locked).sort((a, b) => semver.rcompare(a.version, b.version));
      const candidates = locked ? [locked, ...rest] : rest;
      if (candidates.length === 0) {
        firstConflict ??= noVersion(id, cs, versions, fits.length);
        return undefined;
      }
      for (const v of candidates) {
        const next = new Map(chosen);
        next.set(id, { id, host: hosts[0] as string, version: v.version, summary: v, constraints: cs });
        const done = await solve(next);
        if (done) return done;
      }
      return undefined;
    }
    // Every constrained plugin is decided; the constraints each one collected are final now.
    for (const [id, r] of chosen) chosen.set(id, { ...r, constraints: byId.get(id) ?? r.constraints });
    return chosen;
  };
  const solution = await solve(new Map());
  if (!solution)
    throw (
      firstConflict ??
      new CigError(
        "CIG_RESOLVE_CONFLICT",
        "plugin versions could not be resolved",
        "Relax the constraints in cig.toml, then run `cig sync`.",
      )
    );
  return [...solution.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

function noVersion(id: string, cs: readonly Constraint[], versions: readonly VersionSummary[], fitting: number): CigError {
  const available = versions.map((v) => `${v.version}${v.yanked ? " (yanked)" : ""}`).join(", ") || "none";
  if (cs.length === 1 && fitting === 0)
    return new CigError(
      "CIG_RESOLVE_NOT_FOUND",
      `no version of ${id} satisfies ${cs[0]?.range} (${cs[0]?.from}); available: ${available}`,
      "Change the range, then run `cig sync`.",
      { plugin: id },
    );
  return conflict(
    id,
    cs,
    `no version of ${id} satisfies every constraint\n  available: ${available}`,
    "Relax one of the constraints, then run `cig sync`.",
  );
}

function conflict(id: string, cs: readonly Constraint[], what: string, hint: string): CigError {
  const lines = cs.map((c) => `  ${c.from} wants ${c.range}`).join("\n");
  return new CigError(
    "CIG_RESOLVE_CONFLICT",
    `${what.split("\n")[0]}\n${lines}${what.includes("\n") ? `\n${what.split("\n").slice(1).join("\n")}` : ""}`,
    hint,
    { plugin: id },
  );
}

function builtinConflict(id: string, version: string, unmet: readonly Constraint[]): CigError {
  const range = unmet.map((c) => c.range).join(" ");
  return conflict(
    id,
    unmet,
    `the std ${id} ${version} that ships with cig does not satisfy every constraint`,
    `Take ${id} from the registry instead: add "${id}" = "${range}" to [plugins] in cig.toml, then run \`cig sync\`.`,
  );
}
