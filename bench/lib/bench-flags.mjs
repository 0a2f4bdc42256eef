// The command line every benchmark takes, and where results go.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * `--quick` (few repetitions, never writes), `--no-write` (print the section
 * instead), `--out <file>` (default docs/benchmarks.md), from process.argv.
 */
export function benchFlags() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      "no-write": { type: "boolean", default: false },
      out: { type: "string" },
    },
  });
  return { flags: values, out: values.out ?? join(ROOT, "docs", "benchmarks.md") };
}
