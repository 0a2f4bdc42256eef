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
 * locked version is kept while it satisfies all of them; otherwise the
 * highest non-yanked one that does. Iterates to a fixpoint, since changing a
 * choice changes which `requires` apply. A conflict names who wants what.
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
  let chosen = new Map<string, Resolved>();
  for (let round = 0; round < 50; round++) {
    const all = [...roots];
    for (const r of chosen.values()) {
      for (const req of r.summary.requires) {
        const a = parsePluginAddress(req, `${r.id}@${r.version} requires`);
        all.push({ id: a.id, host: a.host ?? r.host, range: a.constraint, from: `${r.id}@${r.version} (requires)` });
      }
    }
    const byId = new Map<string, Constraint[]>();
    for (const c of all) byId.set(c.id, [...(byId.get(c.id) ?? []), c]);
    const next = new Map<string, Resolved>();
    for (const [id, cs] of [...byId].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const builtin = opts.builtin.get(id);
      if (builtin !== undefined) {
        const unmet = cs.filter((c) => !semver.satisfies(builtin, c.range));
        if (unmet.length > 0) throw builtinConflict(id, builtin, unmet);
        continue;
      }
      const hosts = [...new Set(cs.map((c) => c.host))];
      if (hosts.length > 1)
        throw conflict(id, cs, `${id} is asked for from several registries (${hosts.join(", ")})`, "Name the same registry everywhere.");
      const versions = await list(cs[0] as Constraint);
      const fits = versions.filter((v) => cs.every((c) => semver.satisfies(v.version, c.range)));
      const locked = opts.upgrade ? undefined : fits.find((v) => v.version === opts.locked.get(id));
      const pick = locked ?? fits.filter((v) => !v.yanked).sort((a, b) => semver.rcompare(a.version, b.version))[0];
      if (!pick) {
        const available = versions.map((v) => `${v.version}${v.yanked ? " (yanked)" : ""}`).join(", ") || "none";
        if (cs.length === 1 && fits.length === 0)
          throw new CigError(
            "CIG_RESOLVE_NOT_FOUND",
            `no version of ${id} satisfies ${cs[0]?.range} (${cs[0]?.from}); available: ${available}`,
            "Change the range, then run `cig sync`.",
          );
        throw conflict(
          id,
          cs,
          `no version of ${id} satisfies every constraint\n  available: ${available}`,
          "Relax one of the constraints, then run `cig sync`.",
        );
      }
      next.set(id, { id, host: hosts[0] as string, version: pick.version, summary: pick, constraints: cs });
    }
    const same = next.size === chosen.size && [...next].every(([id, r]) => chosen.get(id)?.version === r.version);
    chosen = next;
    if (same) return [...chosen.values()];
  }
  throw new CigError(
    "CIG_RESOLVE_CONFLICT",
    "plugin versions did not settle after 50 rounds (requires that chase each other)",
    "Pin the plugins involved to exact versions in [plugins].",
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
