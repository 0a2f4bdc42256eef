import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { CigError } from "../errors/cig-error.js";
import { formatLockFile, type LockFile, parseLockFile } from "./lock-file.js";

/** cig.lock as it is on disk; undefined when there is none. CIG_LOCK_INVALID when it cannot be read. */
export function readLockFile(path: string, display: string): LockFile | undefined {
  if (!existsSync(path)) return undefined;
  return parseLockFile(readFileSync(path, "utf8"), display);
}

/** Writes the lock through a temporary file and a rename; resolves false when the bytes are unchanged. */
export async function writeLockFile(path: string, lock: LockFile): Promise<boolean> {
  const text = formatLockFile(lock);
  if (existsSync(path) && readFileSync(path, "utf8") === text) return false;
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new CigError("CIG_OUTPUT_WRITE", `cannot write ${path}: ${(err as Error).message}`, "Check the directory's permissions.");
  }
  return true;
}
