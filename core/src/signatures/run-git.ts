import { spawn } from "node:child_process";

/** What one git command returned. `code` is null when git could not be started (`missing` then says why). */
export interface GitOutput {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  /** Set when the git executable was not found. */
  missing?: boolean;
}

/**
 * Runs `git <args>` in `cwd`, collecting stdout as raw bytes (paths from
 * `-z` output are not always valid UTF-8) with no size limit.
 * GIT_OPTIONAL_LOCKS=0 keeps `git status` from refreshing the index: signing
 * must never write to the repository or contend with a concurrent git.
 */
export function runGit(args: readonly string[], cwd: string): Promise<GitOutput> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const errs: Buffer[] = [];
    const child = spawn("git", args, {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, GIT_OPTIONAL_LOCKS: "0", LC_ALL: "C" },
    });
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => errs.push(c));
    child.on("error", (err: NodeJS.ErrnoException) => {
      resolve({ code: null, stdout: Buffer.alloc(0), stderr: err.message, ...(err.code === "ENOENT" ? { missing: true } : {}) });
    });
    child.on("close", (code) => {
      resolve({ code, stdout: Buffer.concat(chunks), stderr: Buffer.concat(errs).toString("utf8").trim() });
    });
  });
}
