import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CigError } from "../errors/cig-error.js";
import { knownHash, type LockFile } from "./lock-file.js";
import { parseModuleManifest } from "./module-manifest.js";
import { cacheRoot, pluginDir } from "./plugin-cache.js";
import type { PluginSource, VersionDocument, VersionSummary } from "./plugin-source.js";
import { TREE_SCHEME } from "./tree-hash.js";

/**
 * `cig sync --offline` without a mirror: the only versions are the lock's,
 * and their files must already be in the cache (a module's `requires` is
 * read from its cached module.toml).
 */
export class LockedSource implements PluginSource {
  readonly label = "cig.lock and the plugin cache";
  readonly signed = false;

  constructor(
    private readonly lock: LockFile | undefined,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async versions(host: string, id: string): Promise<VersionSummary[]> {
    const p = this.lock?.plugins[id];
    if (!p || p.source !== "registry" || p.host !== host) throw unavailable(`${id} is not in cig.lock`);
    let requires: string[] = [];
    for (const [platform, h] of Object.entries(p.platforms)) {
      const content = knownHash(h.content, TREE_SCHEME);
      if (!content) continue;
      const dir = pluginDir(cacheRoot(this.env), host, id, p.version, platform, content);
      const text = await readFile(join(dir, "module.toml"), "utf8").catch(() => undefined);
      if (text !== undefined) {
        requires = parseModuleManifest(text, `${id}@${p.version}/module.toml`).requires;
        break;
      }
    }
    return [{ version: p.version, protocols: p.protocols, platforms: Object.keys(p.platforms), requires, yanked: false }];
  }

  async versionDocument(_host: string, id: string, version: string): Promise<VersionDocument> {
    throw unavailable(`${id} ${version} is not in the plugin cache`);
  }

  async archive(_doc: VersionDocument, _host: string, id: string, version: string): Promise<Buffer> {
    throw unavailable(`${id} ${version} is not in the plugin cache`);
  }
}

function unavailable(what: string): CigError {
  return new CigError(
    "CIG_OFFLINE_UNAVAILABLE",
    `--offline: ${what}`,
    "Run `cig sync` online once, or point CIG_PLUGIN_MIRROR at a mirror that has it.",
  );
}
