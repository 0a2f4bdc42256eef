import { resolve } from "node:path";
import { type GitOutput, runGit } from "./run-git.js";

/** The three git commands readRepoState reads the repository with, in its order. */
export const REPO_STATE_COMMANDS: readonly (readonly string[])[] = [
  ["rev-parse", "--show-toplevel", "--show-object-format"],
  ["ls-files", "-s", "-z", "--full-name", "--", ":(top)"],
  ["status", "--porcelain=v2", "-z", "-uall", "--no-renames", "--ignore-submodules=all"],
];

// On globalThis, not in a module variable: bin/cig.js starts the commands from this module's
// compiled file, and the CLI bundle carries its own copy of it.
const KEY = Symbol.for("cig.signatures.gitPrefetch");
type Prefetch = { dir: string; outputs: Promise<GitOutput>[] };
const slot = globalThis as { [KEY]?: Prefetch };

/**
 * Starts readRepoState's git commands for `cwd` now. bin/cig.js calls it
 * before it loads the CLI (~130 ms), for the commands that sign: on a 50k-file
 * repository `git status` alone takes ~300 ms, the longest step before the
 * signatures can be computed.
 */
export function prefetchRepoState(cwd: string): void {
  const dir = resolve(cwd);
  const outputs = REPO_STATE_COMMANDS.map((args) => runGit(args, dir));
  for (const o of outputs) o.catch(() => {});
  slot[KEY] = { dir, outputs };
}

/** The prefetched outputs for `dir` (once: a second reader runs git itself), else fresh runs. */
export function repoStateOutputs(dir: string): Promise<GitOutput>[] {
  const pre = slot[KEY];
  if (pre && pre.dir === dir) {
    delete slot[KEY];
    return pre.outputs;
  }
  return REPO_STATE_COMMANDS.map((args) => runGit(args, dir));
}
