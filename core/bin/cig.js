#!/usr/bin/env node
import { importBundled } from "@cig/sdk/import-bundled";

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
process.exitCode = await main(process.argv.slice(2));
