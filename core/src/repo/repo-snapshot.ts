import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { type FileEntry, FileEntrySchema, type RepoSnapshot, RepoSnapshotSchema } from "@cig/proto";
import picomatch from "picomatch";

/** Files larger than this are listed but never inlined. */
export const INLINE_LIMIT = 256 * 1024;
const SKIP_DIRS = new Set([".git", "node_modules", ".hg", ".svn"]);

/**
 * Lists a repository's files (git's view when it is a work tree: tracked and
 * untracked-but-not-ignored; a directory walk otherwise), sorted by UTF-8
 * bytes, with git modes. Contents are read later, per plugin.
 */
export function listRepo(root: string): { files: Array<{ path: string; size: number; mode: number }>; git: RepoSnapshot["git"] } {
  // spawnSync's default 1 MiB buffer holds ~25k paths; past that the call failed and the
  // listing silently fell back to a walk without git's view.
  const git = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "buffer",
    maxBuffer: 1 << 30,
  });
  let paths: string[];
  let gitInfo: RepoSnapshot["git"];
  if (git.status === 0) {
    paths = [...new Set(git.stdout.toString("utf8").split("\0").filter(Boolean))];
    const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" });
    const branch = spawnSync("git", ["rev-parse", "--abbrev-ref", "HEAD"], { cwd: root, encoding: "utf8" });
    gitInfo = { $typeName: "cig.plugin.v1.GitInfo", present: true, commit: head.stdout.trim(), branch: branch.stdout.trim(), dirty: false };
  } else {
    paths = walk(root, "");
  }
  const files: Array<{ path: string; size: number; mode: number }> = [];
  for (const path of paths) {
    try {
      const st = statSync(join(root, path), { throwIfNoEntry: false });
      if (!st?.isFile()) continue;
      files.push({ path, size: st.size, mode: st.mode & 0o111 ? 0o100755 : 0o100644 });
    } catch {
      // Deleted or unreadable since listing: not part of the snapshot.
    }
  }
  // UTF-8 byte order without a Buffer per comparison: latin1 strings of the UTF-8 bytes compare like the bytes.
  const keyed = files.map((f) => ({ f, key: Buffer.from(f.path, "utf8").toString("latin1") }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { files: keyed.map((k) => k.f), git: gitInfo };
}

function walk(root: string, rel: string): string[] {
  const out: string[] = [];
  for (const ent of readdirSync(join(root, rel), { withFileTypes: true })) {
    const path = rel === "" ? ent.name : `${rel}/${ent.name}`;
    if (ent.isDirectory()) {
      if (!SKIP_DIRS.has(ent.name)) out.push(...walk(root, path));
    } else if (ent.isFile()) out.push(path);
  }
  return out;
}

/** The snapshot one plugin sees: every file listed, those matching its patterns inlined. */
export function snapshotFor(root: string, listing: ReturnType<typeof listRepo>, patterns: readonly string[]): RepoSnapshot {
  const match = patterns.length > 0 ? picomatch([...patterns], { dot: true }) : () => false;
  const files: FileEntry[] = listing.files.map((f) => {
    const entry = create(FileEntrySchema, { path: f.path, size: BigInt(f.size), mode: f.mode });
    if (f.size <= INLINE_LIMIT && match(f.path)) {
      try {
        entry.content = readFileSync(join(root, f.path));
      } catch {
        // Vanished between listing and reading: listed without content.
      }
    }
    return entry;
  });
  return create(RepoSnapshotSchema, { root, files, ...(listing.git ? { git: listing.git } : {}) });
}
