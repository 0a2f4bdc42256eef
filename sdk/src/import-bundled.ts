import { readFileSync, statSync } from "node:fs";

// Kept apart from the rest of the SDK (its own package export) and free of
// imports beyond node:fs: executables load it first, before deciding what
// else to load.

/**
 * Imports a package's entry module, or the one-file bundle `pnpm build`
 * made of it (`bundle.mjs` beside the entry): Node starts a bundle ~60 ms
 * faster than the ~150 separate modules it replaces (docs/benchmarks.md).
 * The bundle is used only while every file it was built from is unchanged
 * since (`bundle-inputs.json` lists them), so a bare `tsc -b` never leaves
 * an executable running stale code.
 *
 * @param from the caller's `import.meta.url` (an executable in `bin/`)
 * @param entry the entry module relative to `from`, e.g. `"../dist/main.js"`
 */
export async function importBundled<T = Record<string, unknown>>(from: string, entry: string): Promise<T> {
  const entryUrl = new URL(entry, from);
  const bundle = new URL("bundle.mjs", entryUrl);
  return (await import(isFresh(new URL("bundle-inputs.json", entryUrl)) ? bundle.href : entryUrl.href)) as T;
}

function isFresh(manifest: URL): boolean {
  try {
    const { built, inputs } = JSON.parse(readFileSync(manifest, "utf8")) as { built: number; inputs: string[] };
    return inputs.every((f) => statSync(new URL(f, manifest)).mtimeMs <= built);
  } catch {
    // No bundle (or no manifest, or an input gone): the modules.
    return false;
  }
}
