import { constants } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { CigError } from "../errors/cig-error.js";
import { knownHash, type LockedRegistryPlugin, type LockFile, lockHashes } from "./lock-file.js";
import { type ModuleManifest, parseModuleManifest } from "./module-manifest.js";
import { cacheRoot, installPlugin } from "./plugin-cache.js";
import type { PluginRequirements } from "./plugin-requirements.js";
import type { PluginSource, VersionDocument } from "./plugin-source.js";
import { decodeRelease, signatureKeyId, verifyRelease } from "./release-signing.js";
import { type Resolved, resolveVersions } from "./resolve-versions.js";

/** This machine's platform name in releases: `linux_amd64`, `darwin_arm64`, `windows_amd64`, … */
export function currentPlatform(): string {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const arch = ({ x64: "amd64", ia32: "386" } as Record<string, string>)[process.arch] ?? process.arch;
  return `${os}_${arch}`;
}

/** The platform of a release this machine runs: its own, else `any`. */
export function pickPlatform(platforms: Iterable<string>): string | undefined {
  const all = new Set(platforms);
  const own = currentPlatform();
  return all.has(own) ? own : all.has("any") ? "any" : undefined;
}

export interface SyncOptions {
  requirements: PluginRequirements;
  /** The lock as it is, if there is one. */
  previous?: LockFile;
  source: PluginSource;
  /** `--offline`: no registry; the lock and cache, or a mirror (then `source` is that mirror). */
  offline: boolean;
  upgrade: boolean;
  repair: boolean;
  /** Std plugin id → version shipped with the core. */
  builtin: ReadonlyMap<string, string>;
  env?: NodeJS.ProcessEnv;
  /** One line per event, for the CLI. */
  onEvent?: (e: SyncEvent) => void;
}

export type SyncEvent =
  | { kind: "resolved"; id: string; version: string; host: string; previous?: string }
  | { kind: "installed"; id: string; version: string; platform: string; cached: boolean; dir: string };

/** One synced registry plugin: its lock entry, and where its files are. */
export interface SyncedPlugin {
  id: string;
  entry: LockedRegistryPlugin;
  dir: string;
  manifest: ModuleManifest;
}

/**
 * Resolves the registry plugins cig.toml asks for, verifies each new choice
 * (signature by a key of its namespace; the same signer as the lock), installs
 * this machine's build into the cache and returns the lock entries: hashes of
 * every platform from the signed release, so the lock verifies everywhere.
 */
export async function syncPlugins(opts: SyncOptions): Promise<SyncedPlugin[]> {
  const env = opts.env ?? process.env;
  const lockedRegistry = new Map<string, LockedRegistryPlugin>();
  for (const [id, p] of Object.entries(opts.previous?.plugins ?? {})) if (p.source === "registry") lockedRegistry.set(id, p);
  const root = cacheRoot(env);
  const builtin = new Map([...opts.builtin].filter(([id]) => !opts.requirements.overrides.has(id)));
  const source = opts.source;
  const resolved = await resolveVersions(opts.requirements.roots, {
    source,
    locked: new Map([...lockedRegistry].map(([id, p]) => [id, p.version])),
    upgrade: opts.upgrade,
    builtin,
  });
  const out: SyncedPlugin[] = [];
  for (const r of resolved) {
    const before = lockedRegistry.get(r.id);
    opts.onEvent?.({
      kind: "resolved",
      id: r.id,
      version: r.version,
      host: r.host,
      ...(before && before.version !== r.version ? { previous: before.version } : {}),
    });
    const reuse =
      before && before.version === r.version && before.host === r.host && (!opts.upgrade || !source.signed) ? before : undefined;
    // A source that serves signed releases is checked every time, for a locked version too: the
    // unsigned listing chose the version and its requires; the signed release must say the same.
    const checked = source.signed ? await verifiedEntry(r, source, opts.upgrade ? undefined : before) : undefined;
    if (reuse && checked) sameRelease(r, reuse, checked.entry);
    const entry = reuse ? { ...reuse, constraints: ranges(r) } : checked?.entry;
    if (!entry)
      throw new CigError("CIG_OFFLINE_UNAVAILABLE", `--offline: ${r.id} ${r.version} is not in cig.lock`, "Run `cig sync` online once.");
    const platform = pickPlatform(Object.keys(entry.platforms));
    if (!platform)
      throw new CigError(
        "CIG_RESOLVE_NOT_FOUND",
        `${r.id} ${r.version} has no build for ${currentPlatform()} (it has ${Object.keys(entry.platforms).join(", ")})`,
        "Ask its publisher for a build for this platform, or pin a version that has one.",
        { plugin: r.id },
      );
    const hashes = entry.platforms[platform] as { archive: string[]; content: string[] };
    const { dir, installed } = await installPlugin({
      root,
      host: r.host,
      id: r.id,
      version: r.version,
      platform,
      archive: hashes.archive,
      content: hashes.content,
      repair: opts.repair,
      fetch: async () =>
        source.archive(checked?.doc ?? (await source.versionDocument(r.host, r.id, r.version)), r.host, r.id, r.version, platform),
    });
    opts.onEvent?.({ kind: "installed", id: r.id, version: r.version, platform, cached: !installed, dir });
    out.push({ id: r.id, entry, dir, manifest: await checkInstalled(dir, r) });
  }
  return out;
}

/** A locked version's signed release must be the one the lock was written from (versions are immutable). */
function sameRelease(r: Resolved, locked: LockedRegistryPlugin, fresh: LockedRegistryPlugin): void {
  for (const [platform, h] of Object.entries(locked.platforms)) {
    const now = fresh.platforms[platform];
    for (const scheme of ["sha256", "tree1"]) {
      const a = knownHash(h.archive.concat(h.content), scheme);
      const b = now ? knownHash(now.archive.concat(now.content), scheme) : undefined;
      if (a && a !== b)
        throw new CigError(
          "CIG_HASH_MISMATCH",
          `${r.host} now serves ${r.id} ${r.version} (${platform}) with ${b ?? "no build"}, but cig.lock records ${a}: a published version changed`,
          "Do not use it; tell the registry's operator. Published versions are immutable.",
          { plugin: r.id },
        );
    }
  }
}

function ranges(r: Resolved): string[] {
  return [...new Set(r.constraints.map((c) => c.range))].sort();
}

/** A lock entry from a freshly fetched, signature-checked release document. */
async function verifiedEntry(
  r: Resolved,
  source: PluginSource,
  before: LockedRegistryPlugin | undefined,
): Promise<{ entry: LockedRegistryPlugin; doc: VersionDocument }> {
  const doc = await source.versionDocument(r.host, r.id, r.version);
  const what = `${r.id} ${r.version}`;
  const ns = r.id.split("/")[0] as string;
  const claimed = signatureKeyId(doc.signature);
  const listed = (Array.isArray(doc.signing_keys) ? doc.signing_keys : []).filter(
    (k) => k !== null && typeof k === "object" && typeof k.key_id === "string" && typeof k.public_key === "string",
  );
  if (!claimed || !listed.some((k) => k.key_id === claimed)) {
    throw new CigError(
      "CIG_SIGNER_UNKNOWN",
      `${what} is signed by ${claimed ?? "an unreadable signature"}, which is not a key ${r.host} lists for the namespace ${ns} (${listed.map((k) => k.key_id).join(", ") || "none"})`,
      `Do not use it. The publisher of ${ns} must register their key with the registry's operator.`,
      { plugin: r.id },
    );
  }
  const key = verifyRelease(doc.release, doc.signature, listed);
  if (!key)
    throw new CigError(
      "CIG_SIGNATURE_INVALID",
      `the signature of ${what} does not verify with ${claimed}: the release document was altered`,
      "Do not use it; tell the registry's operator.",
      { plugin: r.id },
    );
  if (before && before.signer !== key.key_id && before.host === r.host)
    throw new CigError(
      "CIG_SIGNER_CHANGED",
      `${what} is signed by ${key.key_id}, but cig.lock records ${before.signer} for ${r.id}`,
      "Check with the publisher that the key changed, then run `cig sync --upgrade` to accept it.",
      { plugin: r.id },
    );
  const release = decodeRelease(doc.release, what);
  if (release.name !== r.id || release.version !== r.version)
    throw new CigError(
      "CIG_SIGNATURE_INVALID",
      `${r.host} served the release of ${release.name} ${release.version} for ${what}`,
      "Do not use it; tell the registry's operator.",
    );
  const norm = (xs: readonly (string | number)[]) => JSON.stringify([...xs].map(String).sort());
  if (norm(release.requires) !== norm(r.summary.requires) || norm(release.protocols) !== norm(r.summary.protocols))
    throw new CigError(
      "CIG_REGISTRY_BAD_RESPONSE",
      `${r.host} lists ${what} with requires ${norm(r.summary.requires)} and protocols ${norm(r.summary.protocols)}, but its signed release says ${norm(release.requires)} and ${norm(release.protocols)}`,
      "Do not use it; tell the registry's operator (its version listing does not match what the publisher signed).",
      { plugin: r.id },
    );
  const platforms: LockedRegistryPlugin["platforms"] = {};
  for (const [p, h] of Object.entries(release.platforms)) platforms[p] = lockHashes(h);
  const entry: LockedRegistryPlugin = {
    source: "registry",
    version: r.version,
    host: r.host,
    constraints: ranges(r),
    protocols: release.protocols,
    signer: key.key_id,
    platforms,
  };
  return { entry, doc };
}

/** Reads an installed plugin's module.toml and checks it is what was asked for and can run. */
async function checkInstalled(dir: string, r: Resolved): Promise<ModuleManifest> {
  const file = join(dir, "module.toml");
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined)
    throw new CigError(
      "CIG_MODULE_MANIFEST_INVALID",
      `${r.id} ${r.version} has no module.toml`,
      "Ask its publisher to re-publish it with a module.toml.",
      { plugin: r.id },
    );
  const m = parseModuleManifest(text, `${r.id}@${r.version}/module.toml`, { requireEntrypoint: true });
  if (m.name !== r.id || m.version !== r.version)
    throw new CigError(
      "CIG_MODULE_MANIFEST_INVALID",
      `${r.id} ${r.version}'s module.toml says ${m.name} ${m.version}`,
      "Ask its publisher to re-publish it.",
      { plugin: r.id },
    );
  await access(join(dir, m.entrypoint as string), constants.X_OK).catch(() => {
    throw new CigError(
      "CIG_MODULE_MANIFEST_INVALID",
      `${r.id} ${r.version}: entrypoint ${m.entrypoint} is missing or not executable`,
      "Ask its publisher to re-publish it.",
      { plugin: r.id },
    );
  });
  return m;
}
