#!/usr/bin/env node
import { importBundled } from "@cig/sdk/import-bundled";

const argv = process.argv.slice(2);
// Commands that hash the repository start its git commands before the CLI loads (see prefetchRepoState).
if (argv.some((a) => a === "compute-signatures" || a === "record-pass")) {
  try {
    const { prefetchRepoState } = await import("../dist/signatures/git-prefetch.js");
    prefetchRepoState(cwdOption(argv) ?? process.env.CIG_CWD ?? process.cwd());
  } catch {
    // Only an optimisation: the command runs git itself.
  }
}

// The one-file bundle when `pnpm build` made a current one, else the modules.
const { main } = await importBundled(import.meta.url, "../dist/cli/main.js");

// Leave through process.exit so that the exit hook reaps plugin process
// groups (they are detached from the terminal's Ctrl-C).
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
  ["SIGHUP", 129],
]) {
  process.once(signal, () => process.exit(code));
}
process.exitCode = await main(argv);

/** The global `-C <dir>` / `--cwd <dir>` / `--cwd=<dir>`, as commander will read it. */
function cwdOption(args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--") return undefined;
    if (args[i] === "-C" || args[i] === "--cwd") return args[i + 1];
    if (args[i].startsWith("--cwd=")) return args[i].slice("--cwd=".length);
  }
  return undefined;
}
