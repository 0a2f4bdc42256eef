// Bundles each executable's entry module (the core CLI and every std plugin)
// and everything it imports into one ESM file, `bundle.mjs` beside the entry
// (plus a chunk per group of modules it imports on demand),
// with `bundle-inputs.json` listing the files it was built from. Executables
// load it through @cig/sdk/import-bundled, which falls back to the modules
// when any input changed since. Run by `pnpm build` after `tsc -b`.
import { readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { rolldown } from "rolldown";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const entries = [
  join(ROOT, "core/dist/cli/main.js"),
  ...readdirSync(join(ROOT, "plugins-std"))
    .map((d) => join(ROOT, "plugins-std", d, "dist/main.js"))
    .filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile()),
  // TypeScript example plugins: published as their bundle (docs/registry.md), so it must be whole.
  ...readdirSync(join(ROOT, "examples/plugins"))
    .map((d) => join(ROOT, "examples/plugins", d, "dist/main.js"))
    .filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile()),
];

for (const input of entries) {
  const dir = dirname(input);
  // blake3 loads a native addon (or its WASM build) chosen at install time: it
  // stays a runtime import, resolved from the package's node_modules.
  const build = await rolldown({ input, platform: "node", logLevel: "silent", external: [/^blake3($|\/)/] });
  let inputs;
  try {
    // Commands import their modules on demand (core/src/cli/main.ts): those become chunks beside
    // the entry, `bundle-<name>-<hash>.mjs`. Old chunks go first, so none outlives its build.
    for (const f of readdirSync(dir)) if (/^bundle-.*\.mjs$/.test(f)) rmSync(join(dir, f));
    const { output } = await build.write({
      dir,
      entryFileNames: "bundle.mjs",
      chunkFileNames: "bundle-[name]-[hash].mjs",
      format: "esm",
    });
    // Real files only (rolldown's helper modules have ids starting with \0).
    inputs = [...new Set(output.flatMap((chunk) => chunk.moduleIds ?? []))].filter(
      (id) => !id.startsWith("\0") && statSync(id, { throwIfNoEntry: false }),
    );
  } finally {
    await build.close();
  }
  // Everything was read before this point: an input changed later is newer than `built`.
  const built = Date.now();
  writeFileSync(join(dir, "bundle-inputs.json"), `${JSON.stringify({ built, inputs: inputs.map((f) => relative(dir, f)).sort() })}\n`);
  process.stdout.write(`bundled ${relative(ROOT, input)}: ${inputs.length} modules\n`);
}
