import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { isProcessAlive } from "@cig/core/registry";

/**
 * The registry's files under one data directory:
 *
 *   namespaces/<ns>.json                          keys and token hashes
 *   plugins/<ns>/<name>/<version>/release.json    the exact signed bytes
 *                                 signature, <platform>.tar.gz, yanked (marker)
 *   tmp/<pid>-<random>/                           publishes and writes in progress
 */
export class DataDir {
  constructor(readonly root: string) {}

  get namespaces(): string {
    return join(this.root, "namespaces");
  }

  get tmp(): string {
    return join(this.root, "tmp");
  }

  namespaceFile(ns: string): string {
    return join(this.namespaces, `${ns}.json`);
  }

  pluginDir(ns: string, name: string): string {
    return join(this.root, "plugins", ns, name);
  }

  /** `version` is exact semver (route.ts): no `/`, no build metadata, so one name per version. */
  versionDir(ns: string, name: string, version: string): string {
    return join(this.pluginDir(ns, name), version);
  }

  /** Creates the directories and removes what crashed processes left in tmp/. */
  async prepare(): Promise<void> {
    await Promise.all([mkdir(this.namespaces, { recursive: true }), mkdir(join(this.root, "plugins"), { recursive: true })]);
    await mkdir(this.tmp, { recursive: true });
    for (const entry of await readdir(this.tmp)) {
      // Named by pid, so that an admin command running beside the server keeps its files;
      // our own pid can only be a previous life's (a container restarts as pid 1 again).
      const pid = Number(/^(\d+)-/.exec(entry)?.[1]);
      if (!Number.isInteger(pid) || pid === process.pid || !isProcessAlive(pid))
        await rm(join(this.tmp, entry), { recursive: true, force: true });
    }
  }

  /** A fresh path under tmp/ (not created), on the same filesystem as its final place. */
  tmpPath(): string {
    return join(this.tmp, `${process.pid}-${randomBytes(8).toString("hex")}`);
  }

  /**
   * Replaces `target` with `data` so that a reader (or a crash) sees the old
   * file or the new one, never half of it.
   */
  async replaceFile(target: string, data: string | Buffer): Promise<void> {
    await mkdir(this.tmp, { recursive: true });
    const tmp = this.tmpPath();
    try {
      await writeDurable(tmp, data);
      await rename(tmp, target);
    } finally {
      await rm(tmp, { force: true });
    }
    await fsyncDir(dirname(target));
  }
}

/** Writes a new file and flushes it to disk before returning. */
export async function writeDurable(path: string, data: string | Buffer): Promise<void> {
  const fh = await open(path, "wx", 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes a directory's entries (a rename into it) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
