// Bundles a plugin entry into one ESM file with rolldown, when rolldown is
// in the pnpm store (it comes with vite, a dependency of vitest). Used by the
// plugin-host bench to show what bundling would buy at startup; the bench
// skips that experiment when rolldown is not there.
//
// Run as `node bench/lib/bundle.mjs <input> <output>` (the bench does, so that
// rolldown's memory does not count against the core's peak RSS): prints
// {"version": ...} on success, exits 3 when rolldown is not found.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SELF = fileURLToPath(import.meta.url);

/** The rolldown module from <root>/node_modules/.pnpm, or undefined. */
async function findRolldown(root) {
  const store = join(root, "node_modules", ".pnpm");
  let dirs;
  try {
    dirs = readdirSync(store).filter((d) => d.startsWith("rolldown@"));
  } catch {
    return undefined;
  }
  for (const d of dirs.sort().reverse()) {
    const pkgDir = join(store, d, "node_modules", "rolldown");
    try {
      const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
      const entry = pkg.exports?.["."]?.import ?? pkg.module;
      if (!entry) continue;
      const mod = await import(pathToFileURL(join(pkgDir, typeof entry === "string" ? entry : entry.default)).href);
      if (typeof mod.rolldown === "function") return { rolldown: mod.rolldown, version: pkg.version };
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/**
 * Bundles `input` (and everything it imports) into the single file `output`
 * in a child process; resolves with rolldown's version, or undefined when
 * rolldown is not installed.
 */
export function bundleInChild(input, output) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [SELF, input, output], (err, stdout) => {
      if (err && err.code === 3) resolve(undefined);
      else if (err) reject(err);
      else resolve(JSON.parse(stdout).version);
    });
  });
}

if (process.argv[1] === SELF) {
  const [input, output] = process.argv.slice(2);
  const found = await findRolldown(ROOT);
  if (!found) process.exit(3);
  const build = await found.rolldown({ input, platform: "node", logLevel: "silent" });
  try {
    await build.write({ file: output, format: "esm", minify: true });
  } finally {
    await build.close();
  }
  process.stdout.write(JSON.stringify({ version: found.version }));
}
