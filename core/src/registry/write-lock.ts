import { existsSync, readFileSync } from "node:fs";
import { formatLockFile, type LockFile, parseLockFile } from "./lock-file.js";
import { writeFileAtomic } from "./write-file-atomic.js";

/** cig.lock as it is on disk; undefined when there is none. CIG_LOCK_INVALID when it cannot be read. */
export function readLockFile(path: string, display: string): LockFile | undefined {
  if (!existsSync(path)) return undefined;
  return parseLockFile(readFileSync(path, "utf8"), display);
}

/** Writes the lock through a temporary file and a rename; resolves false when the bytes are unchanged. */
export async function writeLockFile(path: string, lock: LockFile): Promise<boolean> {
  const text = formatLockFile(lock);
  if (existsSync(path) && readFileSync(path, "utf8") === text) return false;
  await writeFileAtomic(path, text);
  return true;
}
