import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat, symlink, unlink, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { CigError } from "../errors/cig-error.js";
import { knownHash } from "./lock-file.js";
import { isExactVersion, isHost, isPlatform, isPluginId } from "./plugin-address.js";
import { readArchive } from "./read-archive.js";
import { archiveHash, TREE_SCHEME, treeHash, treeHashOfDir } from "./tree-hash.js";
import { isProcessAlive } from "./write-file-atomic.js";

/** `${XDG_CACHE_HOME:-~/.cache}/cig`: shared by every project of the user. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "cig");
}

/** The content-addressed directory of one plugin build. */
export function pluginDir(root: string, host: string, id: string, version: string, platform: string, content: string): string {
  const hex = content.replace(/^tree1:/, "");
  // Every part is checked where it is read (cig.toml, cig.lock, release documents); this is the last line.
  if (!isHost(host) || !isPluginId(id) || !isExactVersion(version) || !isPlatform(platform) || !/^[0-9a-f]{64}$/.test(hex))
    throw new CigError(
      "CIG_LOCK_INVALID",
      `refusing a cache path for ${JSON.stringify(`${host}/${id}@${version} ${platform} ${content}`)}: not a plugin address, version, platform and tree1 hash`,
      "Restore cig.lock from version control, or delete it and run `cig sync`.",
    );
  const plugins = resolve(root, "plugins");
  const dir = resolve(plugins, host.replace(":", "_"), id, version, `${platform}-${hex.slice(0, 32)}`);
  if (!dir.startsWith(`${plugins}${sep}`))
    throw new CigError("CIG_INTERNAL", `cache path ${dir} is outside ${plugins}`, "Report this as a bug.");
  return dir;
}

/** What to install and how to check it. */
export interface InstallRequest {
  root: string;
  host: string;
  id: string;
  version: string;
  platform: string;
  /** Expected hashes, `scheme:hex` (unknown schemes ignored). */
  archive: readonly string[];
  content: readonly string[];
  fetch: () => Promise<Buffer>;
  /** Move a copy that fails its check aside and install again (`cig sync --repair`). */
  repair?: boolean;
}

/**
 * Installs a plugin into the cache, or checks the copy already there.
 * Download, check the archive hash, scan and extract into a temporary
 * directory, check the content hash, then rename into place; never writes
 * into an existing target. A per-target lock file keeps concurrent syncs from
 * downloading the same archive twice; the rename keeps them correct anyway.
 */
export async function installPlugin(req: InstallRequest): Promise<{ dir: string; installed: boolean }> {
  const content = requireKnown(req.content, TREE_SCHEME, req);
  const target = pluginDir(req.root, req.host, req.id, req.version, req.platform, content);
  const what = `${req.id} ${req.version} (${req.platform})`;
  const checkExisting = async () => {
    if (!existsSync(target)) return false;
    try {
      await verifyPluginDir(target, req.content, what);
      return true;
    } catch (err) {
      if (!req.repair) throw err;
      await mkdir(join(req.root, "trash"), { recursive: true });
      await rename(target, join(req.root, "trash", `${Date.now()}-${randomBytes(4).toString("hex")}`));
      return false;
    }
  };
  if (await checkExisting()) return { dir: target, installed: false };
  await mkdir(dirname(target), { recursive: true }).catch((err) => {
    throw cacheFailed(target, err);
  });
  const release = await lock(`${target}.lock`);
  try {
    if (await checkExisting()) return { dir: target, installed: false };
    const bytes = await req.fetch();
    const wantArchive = requireKnown(req.archive, "sha256", req);
    const gotArchive = archiveHash(bytes);
    if (gotArchive !== wantArchive) throw mismatch(what, "archive", wantArchive, gotArchive);
    const entries = await readArchive(bytes, what);
    const gotContent = treeHash(entries);
    if (gotContent !== content) throw mismatch(what, "files", content, gotContent);
    const tmp = join(req.root, "tmp", `${process.pid}-${randomBytes(6).toString("hex")}`);
    try {
      for (const e of entries) {
        const path = join(tmp, e.path);
        await mkdir(dirname(path), { recursive: true });
        if (e.type === "symlink") await symlink(e.data.toString("utf8"), path);
        // "wx": never through or over anything already there (readArchive refuses duplicates and
        // paths under symlinks; this holds even if it did not).
        else await writeFile(path, e.data, { mode: e.mode, flag: "wx" });
      }
      await mkdir(tmp, { recursive: true });
      // What is on disk must be what was checked: umask or a filesystem could change modes.
      const onDisk = await treeHashOfDir(tmp);
      if (onDisk !== content) throw mismatch(what, "extracted files", content, onDisk);
      try {
        await rename(tmp, target);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== "EEXIST" && code !== "ENOTEMPTY") throw cacheFailed(target, err);
        // Another process renamed its copy first: use (and check) that one.
        await verifyPluginDir(target, req.content, what);
        return { dir: target, installed: false };
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return { dir: target, installed: true };
  } finally {
    await release();
  }
}

/** Recomputes a cached plugin's content hash; CIG_PLUGIN_TAMPERED when it differs (before every spawn). */
export async function verifyPluginDir(dir: string, content: readonly string[], what: string): Promise<void> {
  const want = knownHash(content, TREE_SCHEME);
  const got = await treeHashOfDir(dir).catch(() => "missing");
  if (got === want) return;
  throw new CigError(
    "CIG_PLUGIN_TAMPERED",
    `the cached files of ${what} do not match cig.lock: want ${want}, found ${got === "missing" ? "no readable copy" : got} in ${dir}`,
    "Run `cig sync --repair` to move the bad copy aside and install it again.",
    { plugin: what.split(" ")[0] as string },
  );
}

function requireKnown(hashes: readonly string[], scheme: string, req: InstallRequest): string {
  const h = knownHash(hashes, scheme);
  if (h) return h;
  throw new CigError(
    "CIG_LOCK_INVALID",
    `cig.lock has no ${scheme} hash for ${req.id} ${req.version} (${req.platform}); this cig knows sha256 and ${TREE_SCHEME}`,
    "Upgrade cig, or run `cig sync` to record hashes this version understands.",
  );
}

function mismatch(what: string, part: string, want: string, got: string): CigError {
  return new CigError(
    "CIG_HASH_MISMATCH",
    `the ${part} of ${what} do not have the recorded hash: want ${want}, got ${got}`,
    "Do not use it. Run `cig sync` again; if it persists, the registry or the network alters the plugin: tell the registry's operator.",
  );
}

function cacheFailed(path: string, err: unknown): CigError {
  return new CigError(
    "CIG_CACHE_FAILED",
    `cannot write the plugin cache at ${path}: ${(err as Error).message}`,
    "Check the permissions and free space of $XDG_CACHE_HOME/cig (default ~/.cache/cig).",
  );
}

/** An exclusive lock file holding the owner's pid; a lock whose owner is gone is taken over. */
async function lock(path: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      const fh = await open(path, "wx");
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => unlink(path).catch(() => undefined);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw cacheFailed(path, err);
    }
    const owner = Number(await readFile(path, "utf8").catch(() => ""));
    const age = Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? Date.now());
    if ((owner > 0 && !isProcessAlive(owner)) || age > 10 * 60_000) await unlink(path).catch(() => undefined);
    else if (Date.now() > deadline) throw cacheFailed(path, new Error(`locked by pid ${owner} for over 5 minutes`));
    else await new Promise((r) => setTimeout(r, 50));
  }
}
