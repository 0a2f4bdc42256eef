import { randomBytes } from "node:crypto";
import { chmod, rename, rm, writeFile } from "node:fs/promises";
import { CigError } from "../errors/cig-error.js";

/**
 * Replaces a file through a temporary file beside it and a rename, so a
 * reader (or a crash) never sees half of it. `mode` also applies to the
 * result (keys are written 0600). CIG_OUTPUT_WRITE when it cannot be written.
 */
export async function writeFileAtomic(path: string, data: string | Buffer, mode?: number): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, data, mode === undefined ? {} : { mode });
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new CigError(
      "CIG_OUTPUT_WRITE",
      `cannot write ${path}: ${(err as Error).message}`,
      "Check the directory's permissions and free space.",
    );
  }
}

/** Whether a process exists (EPERM: it does, but is another user's): who holds a lock or a temp dir. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
