import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";
import { type ArchiveEntry, sortEntries } from "./read-archive.js";

/** The content hash scheme of plugin trees (docs/registry.md#archives). */
export const TREE_SCHEME = "tree1";

/**
 * `tree1:<hex>` of a plugin's files: sha256 over one line per file or symlink,
 * `<f|l> <644|755|777> <sha256 hex> <path>\n`, in byte order of the paths.
 * The same value whether computed from an archive or from its extracted copy.
 */
export function treeHash(entries: readonly ArchiveEntry[]): string {
  const h = createHash("sha256");
  for (const e of sortEntries([...entries])) {
    const digest = createHash("sha256").update(e.data).digest("hex");
    h.update(`${e.type === "file" ? "f" : "l"} ${e.mode.toString(8)} ${digest} ${e.path}\n`);
  }
  return `${TREE_SCHEME}:${h.digest("hex")}`;
}

/**
 * Reads a directory the way an archive of it would list it: regular files and
 * symlinks (never followed), modes normalised to 644/755/777. Other entries
 * (sockets, fifos) are skipped. `skip` names entries to leave out at any depth
 * (`.git`, `__pycache__` when publishing).
 */
export async function readTree(dir: string, skip: ReadonlySet<string> = new Set()): Promise<ArchiveEntry[]> {
  const out: ArchiveEntry[] = [];
  async function walk(rel: string): Promise<void> {
    const names = await readdir(join(dir, rel));
    for (const name of names) {
      const path = rel ? `${rel}/${name}` : name;
      if (skip.has(name)) continue;
      const full = join(dir, path);
      const info = await lstat(full);
      if (info.isDirectory()) await walk(path);
      else if (info.isSymbolicLink()) out.push({ path, type: "symlink", mode: 0o777, data: Buffer.from(await readlink(full), "utf8") });
      else if (info.isFile()) out.push({ path, type: "file", mode: info.mode & 0o100 ? 0o755 : 0o644, data: await readFile(full) });
    }
  }
  await walk("");
  return sortEntries(out);
}

/** `tree1:` of a directory on disk: what cig checks before every spawn of a cached plugin. */
export async function treeHashOfDir(dir: string): Promise<string> {
  return treeHash(await readTree(dir));
}

/** `sha256:<hex>` of bytes: the archive hash. */
export function archiveHash(bytes: Buffer): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
