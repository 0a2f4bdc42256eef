import { createHash } from "node:crypto";
import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import { signatureError } from "./signature-error.js";

/** The object hash of a repository: SHA-1 (40 hex) or, in `--object-format=sha256` repositories, SHA-256. */
export type ObjectFormat = "sha1" | "sha256";

/**
 * The git blob id of `content`, as `git hash-object --no-filters` computes
 * it: hash("blob " + decimal size + "\0" + content).
 */
export function gitBlobId(content: Uint8Array, format: ObjectFormat = "sha1"): string {
  return createHash(format).update(`blob ${content.length}\0`).update(content).digest("hex");
}

/** A worktree entry as git would stage it: its mode and blob id. */
export interface WorktreeEntry {
  mode: string;
  oid: string;
}

/**
 * Hashes one worktree path the way `git add` stages it, without filters:
 * a symlink is its target string (never followed, mode 120000), a regular
 * file its bytes, with mode 100755 when the owner's exec bit is set (git's
 * own rule) and 100644 otherwise. Returns undefined when the path is gone or
 * is not a file or symlink (a directory, socket, fifo): such paths are not inputs.
 * Synchronous on purpose: only dirty files come here on the git path, and
 * a Promise per file costs more than the read itself.
 */
export function hashWorktreeEntry(absPath: Buffer, format: ObjectFormat = "sha1"): WorktreeEntry | undefined {
  try {
    const st = lstatSync(absPath, { throwIfNoEntry: false });
    if (st === undefined) return undefined;
    if (st.isSymbolicLink()) return { mode: "120000", oid: gitBlobId(readlinkSync(absPath, { encoding: "buffer" }), format) };
    if (!st.isFile()) return undefined;
    return { mode: st.mode & 0o100 ? "100755" : "100644", oid: gitBlobId(readFileSync(absPath), format) };
  } catch (err) {
    // Vanished between listing and reading: absent, as a deleted file is.
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw signatureError(
      "CIG_SIG_READ_FAILED",
      `cannot read ${absPath.toString()} to hash it: ${(err as Error).message}`,
      "Make the file readable (or ignore it in .gitignore); an unreadable input cannot be signed.",
      err,
    );
  }
}
