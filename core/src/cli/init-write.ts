import { randomBytes } from "node:crypto";
import { existsSync, linkSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CigError } from "../errors/cig-error.js";

/**
 * Writes via a temp file in the same directory. Without `force`, the temp file
 * is hard-linked into place, which fails if the target appeared meanwhile
 * (no check-then-write race); with `force`, it is renamed over the target.
 */
export function writeNewFile(file: string, name: string, content: string, force: boolean): void {
  const tmp = join(dirname(file), `.${randomBytes(6).toString("hex")}.cig-tmp`);
  try {
    writeFileSync(tmp, content, { mode: 0o644 });
    if (force) renameSync(tmp, file);
    else {
      try {
        linkSync(tmp, file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EEXIST") throw alreadyExists(name);
        // A file system without hard links: check, then rename.
        if (existsSync(file)) throw alreadyExists(name);
        renameSync(tmp, file);
      }
    }
  } catch (err) {
    if (err instanceof CigError) throw err;
    throw new CigError(
      "CIG_OUTPUT_WRITE",
      `could not write ${name}: ${err instanceof Error ? err.message : String(err)}`,
      "Check that the directory exists and is writable.",
      { location: name },
    );
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** `cig init` never replaces a cig.toml without --force: it holds the user's work. */
export function alreadyExists(name: string): CigError {
  return new CigError(
    "CIG_OUTPUT_NOT_OURS",
    `refusing to overwrite ${name}: it already exists`,
    `Edit it, move it away, or run \`cig init --force\` to replace it with a freshly detected one.`,
    { location: name },
  );
}
