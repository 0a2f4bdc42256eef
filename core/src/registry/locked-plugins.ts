import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import semver from "semver";
import { CigError } from "../errors/cig-error.js";
import { HttpSource } from "./http-source.js";
import { knownHash, type LockedRegistryPlugin } from "./lock-file.js";
import { mayUseRegistry } from "./may-use-registry.js";
import { type ModuleManifest, parseModuleManifest } from "./module-manifest.js";
import { parsePluginAddress } from "./plugin-address.js";
import { cacheRoot, installPlugin, pluginDir, verifyPluginDir } from "./plugin-cache.js";
import { readProjectPlugins } from "./project-plugins.js";
import { pickPlatform } from "./sync-plugins.js";
import { TREE_SCHEME } from "./tree-hash.js";
import { readLockFile } from "./write-lock.js";

/**
 * The plugins a plan/render/validate run may start: the std ones, with the
 * registry plugins of cig.lock added (and std ones `[plugins]` overrides
 * removed). Every registry plugin's cached files are checked against the
 * lock's content hash before it can be spawned; a plugin missing from the
 * cache is installed from the lock's hashes (what a fresh CI runner needs).
 * The lock must satisfy cig.toml: CIG_LOCK_MISSING / CIG_LOCK_STALE name `cig sync`.
 */
export async function withLockedPlugins(
  configFile: string,
  cwd: string,
  std: ReadonlyMap<string, string>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LockedPlugins> {
  const text = await readFile(configFile, "utf8").catch(() => "");
  if (!mayUseRegistry(text)) return { commands: new Map(std), manifests: new Map() };
  const project = readProjectPlugins(configFile, cwd, new Set(std.keys()), env);
  const { roots, overrides } = project.requirements;
  if (roots.length === 0) return { commands: new Map(std), manifests: new Map() };
  const lock = readLockFile(project.lockFile, project.lockDisplay);
  if (!lock)
    throw new CigError(
      "CIG_LOCK_MISSING",
      `cig.toml asks for registry plugins (${[...new Set(roots.map((r) => r.id))].join(", ")}) but there is no ${project.lockDisplay}`,
      "Run `cig sync` to resolve and install them.",
    );
  for (const r of roots) {
    const p = lock.plugins[r.id];
    const why =
      !p || p.source !== "registry"
        ? "is not in the lock"
        : p.host !== r.host
          ? `is locked from ${p.host}, not ${r.host}`
          : !semver.satisfies(p.version, r.range)
            ? `is locked at ${p.version}, which does not satisfy ${r.range}`
            : undefined;
    if (why) throw new CigError("CIG_LOCK_STALE", `${r.id} (${r.from}) ${why}`, "Run `cig sync` to update cig.lock.", { plugin: r.id });
  }
  const commands = new Map([...std].filter(([id]) => !overrides.has(id)));
  const manifests = new Map<string, ModuleManifest>();
  const root = cacheRoot(env);
  let source: HttpSource | undefined;
  // Only what cig.toml reaches — its roots and, through their manifests, what they require — runs.
  const queue = [...new Set(roots.map((r) => r.id))];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const p = lock.plugins[id];
    if (manifests.has(id) || p?.source !== "registry") continue;
    const { command, manifest } = await lockedCommand(root, id, p, () => {
      source ??= new HttpSource(env);
      return source;
    });
    commands.set(id, command);
    manifests.set(id, manifest);
    for (const req of manifest.requires) {
      const dep = parsePluginAddress(req).id;
      if (!lock.plugins[dep] && !std.has(dep))
        throw new CigError("CIG_LOCK_STALE", `${id} requires ${req}, which cig.lock does not have`, "Run `cig sync` to update cig.lock.", {
          plugin: id,
        });
      queue.push(dep);
    }
  }
  const unused = Object.entries(lock.plugins).filter(([id, p]) => p.source === "registry" && !manifests.has(id));
  if (unused.length > 0)
    throw new CigError(
      "CIG_LOCK_STALE",
      `cig.lock has ${unused.map(([id]) => id).join(", ")}, which cig.toml no longer asks for`,
      "Run `cig sync` to update cig.lock.",
    );
  return { commands, manifests };
}

/** What a run may start: plugin id → executable, and the registry plugins' manifests. */
export interface LockedPlugins {
  commands: Map<string, string>;
  manifests: Map<string, ModuleManifest>;
}

async function lockedCommand(
  root: string,
  id: string,
  p: LockedRegistryPlugin,
  source: () => HttpSource,
): Promise<{ command: string; manifest: ModuleManifest }> {
  const platform = pickPlatform(Object.keys(p.platforms));
  const what = `${id} ${p.version}`;
  if (!platform)
    throw new CigError(
      "CIG_RESOLVE_NOT_FOUND",
      `${what} in cig.lock has no build for this platform`,
      "Pin a version that has one, then `cig sync`.",
      { plugin: id },
    );
  const hashes = p.platforms[platform] as { archive: string[]; content: string[] };
  const content = knownHash(hashes.content, TREE_SCHEME);
  if (!content) throw new CigError("CIG_LOCK_INVALID", `cig.lock has no ${TREE_SCHEME} hash for ${what}`, "Run `cig sync` to record one.");
  const dir = pluginDir(root, p.host, id, p.version, platform, content);
  if (existsSync(dir)) await verifyPluginDir(dir, hashes.content, `${what} (${platform})`);
  else {
    // Not installed on this machine yet (a fresh CI runner): the lock's hashes decide what is accepted.
    const s = source();
    const fetch = async () => s.archive(await s.versionDocument(p.host, id, p.version), p.host, id, p.version, platform);
    await installPlugin({ root, host: p.host, id, version: p.version, platform, ...hashes, fetch });
  }
  const manifest = parseModuleManifest(await readFile(join(dir, "module.toml"), "utf8"), `${what}/module.toml`, {
    requireEntrypoint: true,
  });
  return { command: join(dir, manifest.entrypoint as string), manifest };
}
