import { access, mkdir, readdir, readFile, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { VersionSummary } from "@cig/core/registry";
import { decodeRelease, type ReleaseDocument } from "@cig/core/registry";
import semver from "semver";
import type { ReleaseId } from "./check-release.js";
import { type DataDir, fsyncDir, writeDurable } from "./data-dir.js";
import type { PublishRequest } from "./publish-request.js";
import { versionExists } from "./registry-error.js";

/** One published version as stored. */
export interface StoredVersion {
  /** The release document's exact bytes. */
  release: string;
  doc: ReleaseDocument;
  signature: string;
  yanked: boolean;
}

/** An entry of `GET …/versions`: the type cig's client reads (docs/registry.md#http-api). */
export type { VersionSummary } from "@cig/core/registry";

/**
 * Published versions under `plugins/`. A version directory only ever appears
 * whole (by rename) and only its `yanked` marker changes afterwards.
 */
export class VersionStore {
  constructor(private readonly data: DataDir) {}

  /** The stored version, or undefined. */
  async read(id: ReleaseId): Promise<StoredVersion | undefined> {
    return this.readDir(this.data.versionDir(id.ns, id.name, id.version));
  }

  /** Every version of a plugin in semver order, or undefined for a plugin never published. */
  async list(ns: string, name: string): Promise<VersionSummary[] | undefined> {
    let dirs: string[];
    try {
      dirs = await readdir(this.data.pluginDir(ns, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    const stored = await Promise.all(dirs.map((d) => this.readDir(join(this.data.pluginDir(ns, name), d))));
    const out = stored
      .filter((v): v is StoredVersion => v !== undefined)
      .map(({ doc, yanked }) => ({
        version: doc.version,
        protocols: doc.protocols,
        platforms: Object.keys(doc.platforms).sort(),
        requires: doc.requires,
        yanked,
      }));
    return out.length > 0 ? out.sort((a, b) => semver.compare(a.version, b.version)) : undefined;
  }

  archivePath(id: ReleaseId, platform: string): string {
    return join(this.data.versionDir(id.ns, id.name, id.version), `${platform}.tar.gz`);
  }

  /**
   * Writes a checked release into `work` (a fresh path under tmp/), flushes it,
   * then renames it into place. rename() refuses a non-empty target, so of two
   * racing publishes of one version exactly one wins; the other gets 409.
   */
  async commit(id: ReleaseId, req: PublishRequest, work: string): Promise<void> {
    await mkdir(work);
    await writeDurable(join(work, "release.json"), req.release);
    await writeDurable(join(work, "signature"), `${req.signature}\n`);
    for (const [platform, gz] of req.archives) await writeDurable(join(work, `${platform}.tar.gz`), gz);
    await fsyncDir(work);
    const target = this.data.versionDir(id.ns, id.name, id.version);
    const parent = dirname(target);
    await mkdir(parent, { recursive: true });
    try {
      await rename(work, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOTEMPTY" || code === "EEXIST") throw versionExists(`${id.ns}/${id.name}`, id.version);
      throw err;
    }
    // The rename, and a new plugin's directories, survive a power cut once the 201 is sent.
    for (const dir of [parent, dirname(parent), dirname(dirname(parent))]) await fsyncDir(dir);
  }

  /** Marks a version yanked (idempotent). False when there is no such version. */
  async yank(id: ReleaseId): Promise<boolean> {
    const stored = await this.read(id);
    if (!stored) return false;
    if (!stored.yanked)
      await this.data.replaceFile(join(this.data.versionDir(id.ns, id.name, id.version), "yanked"), `${new Date().toISOString()}\n`);
    return true;
  }

  private async readDir(dir: string): Promise<StoredVersion | undefined> {
    let release: string;
    try {
      release = await readFile(join(dir, "release.json"), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
      throw err;
    }
    const signature = (await readFile(join(dir, "signature"), "utf8")).trim();
    const yanked = await access(join(dir, "yanked")).then(
      () => true,
      () => false,
    );
    return { release, doc: decodeRelease(release, dir), signature, yanked };
  }
}
