import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import semver from "semver";
import { CigError } from "../errors/cig-error.js";
import type { PluginSource, VersionDocument, VersionSummary } from "./plugin-source.js";
import { decodeRelease } from "./release-signing.js";

/**
 * A filesystem mirror for `--offline` (`CIG_PLUGIN_MIRROR`):
 * `<dir>/<host>/<ns>/<name>/<version>.json` holds the registry's version
 * document and `<dir>/<host>/<ns>/<name>/<version>/<platform>.tar.gz` the
 * archives. Fill one by copying what a registry serves.
 */
export class MirrorSource implements PluginSource {
  readonly label: string;
  readonly signed = true;

  constructor(private readonly dir: string) {
    this.label = `mirror ${dir}`;
  }

  async versions(host: string, id: string): Promise<VersionSummary[]> {
    const names = await readdir(join(this.dir, host, id)).catch(() => [] as string[]);
    const out: VersionSummary[] = [];
    for (const f of names) {
      const version = f.endsWith(".json") ? f.slice(0, -5) : "";
      if (!semver.valid(version)) continue;
      const doc = await this.versionDocument(host, id, version);
      const release = decodeRelease(doc.release, `${id} ${version}`);
      out.push({
        version,
        protocols: release.protocols,
        platforms: Object.keys(release.platforms).sort(),
        requires: release.requires,
        yanked: doc.yanked,
      });
    }
    if (out.length === 0) throw this.missing(`${id} (any version)`, host);
    return out.sort((a, b) => semver.compare(a.version, b.version));
  }

  async versionDocument(host: string, id: string, version: string): Promise<VersionDocument> {
    const text = await readFile(join(this.dir, host, id, `${version}.json`), "utf8").catch(() => undefined);
    if (text === undefined) throw this.missing(`${id} ${version}`, host);
    try {
      return JSON.parse(text) as VersionDocument;
    } catch {
      throw new CigError(
        "CIG_REGISTRY_BAD_RESPONSE",
        `the mirror's ${host}/${id}/${version}.json is not JSON`,
        "Copy it again from the registry.",
      );
    }
  }

  async archive(_doc: VersionDocument, host: string, id: string, version: string, platform: string): Promise<Buffer> {
    const bytes = await readFile(join(this.dir, host, id, version, `${platform}.tar.gz`)).catch(() => undefined);
    if (!bytes) throw this.missing(`${id} ${version} (${platform})`, host);
    return bytes;
  }

  private missing(what: string, host: string): CigError {
    return new CigError(
      "CIG_OFFLINE_UNAVAILABLE",
      `${what} from ${host} is not in the cache nor in the mirror ${this.dir}`,
      "Run `cig sync` online once, or copy the plugin into the mirror (docs/registry.md#the-plugin-cache).",
    );
  }
}
