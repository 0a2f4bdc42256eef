import { readdirSync } from "node:fs";
import { hashWorktreeEntry, type ObjectFormat } from "./git-blob-id.js";
import { isExcluded, RepoEntry, type RepoFile, sortFiles } from "./repo-state.js";
import { signatureError } from "./signature-error.js";

const SLASH = Buffer.from("/");
const DOT_GIT = Buffer.from(".git");

/**
 * Every file under `root` hashed as git would stage it (no .git anywhere, so
 * nothing is ignored): the fallback when `root` is not a git work tree.
 * Directories named `.git` are skipped, symlinks are hashed as their
 * targets and never followed, other special files are skipped. Names stay
 * bytes, so a non-UTF-8 name signs as it is.
 */
export function walkFiles(root: string, exclude: readonly string[], format: ObjectFormat = "sha1"): RepoFile[] {
  const files: RepoFile[] = [];
  const rootBytes = Buffer.from(root);
  const stack: Buffer[] = [Buffer.alloc(0)];
  for (let rel = stack.pop(); rel !== undefined; rel = stack.pop()) {
    const dir = rel.length === 0 ? rootBytes : Buffer.concat([rootBytes, SLASH, rel]);
    for (const ent of listDir(dir)) {
      const name = ent.name as unknown as Buffer;
      const pathBytes = rel.length === 0 ? Buffer.from(name) : Buffer.concat([rel, SLASH, name]);
      if (ent.isDirectory()) {
        if (!name.equals(DOT_GIT) && !isExcluded(`${pathBytes.toString("latin1")}/`, exclude)) stack.push(pathBytes);
        continue;
      }
      if (isExcluded(pathBytes.toString("latin1"), exclude)) continue;
      const hashed = hashWorktreeEntry(Buffer.concat([rootBytes, SLASH, pathBytes]), format);
      if (hashed) files.push(RepoEntry.of(pathBytes, hashed.mode, hashed.oid));
    }
  }
  return sortFiles(files);
}

// Names come back as Buffers (encoding "buffer"); Dirent's type says string.
function listDir(dir: Buffer) {
  try {
    return readdirSync(dir, { withFileTypes: true, encoding: "buffer" });
  } catch (err) {
    throw signatureError(
      "CIG_SIG_READ_FAILED",
      `cannot list ${dir.toString()}: ${(err as Error).message}`,
      "Make the directory readable, or run cig in a git work tree (git lists files without reading every directory).",
      err,
    );
  }
}
