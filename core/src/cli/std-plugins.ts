import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join } from "node:path";
import { parse } from "smol-toml";
import type { ModuleProvides } from "../pipeline/select-plugins.js";
import { mayUseRegistry } from "../registry/may-use-registry.js";
import type { ModuleManifest } from "../registry/module-manifest.js";

// Std plugins ship with the core as separate executables (separate packages).
const STD_PACKAGES: Record<string, string> = {
  "db/postgres": "@cig/plugin-db-postgres",
  "db/redis": "@cig/plugin-db-redis",
  "lang/go": "@cig/plugin-lang-go",
  "lang/node": "@cig/plugin-lang-node",
  "lang/python": "@cig/plugin-lang-python",
  "lang/ruby": "@cig/plugin-lang-ruby",
  "provider/buildkite": "@cig/plugin-provider-buildkite",
  "provider/circleci": "@cig/plugin-provider-circleci",
  "provider/github": "@cig/plugin-provider-github",
  "provider/gitlab": "@cig/plugin-provider-gitlab",
  "provider/jenkins": "@cig/plugin-provider-jenkins",
};

/** Name → executable path of every std plugin installed beside this core. */
export function stdPlugins(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, dir] of stdPackageDirs()) {
    const bin = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { bin?: Record<string, string> }).bin ?? {};
    const first = Object.values(bin)[0];
    if (first) out.set(name, join(dir, first));
  }
  return out;
}

/**
 * The plugins a run of the project may start — the std ones and the registry
 * plugins of its cig.lock, checked against the lock first (docs/registry.md) —
 * and the module manifests `uses` steps are checked against.
 */
export async function projectPlugins(
  cwd: string,
  config: string | undefined,
): Promise<{ commands: Map<string, string>; manifests: Map<string, ModuleManifest> }> {
  const file = config ? (isAbsolute(config) ? config : join(cwd, config)) : join(cwd, "cig.toml");
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // No cig.toml: the pipeline reports that with its own error.
  }
  if (!mayUseRegistry(text)) return { commands: stdPlugins(), manifests: new Map() };
  const { withLockedPlugins } = await import("../registry/locked-plugins.js");
  const { parseModuleManifest } = await import("../registry/module-manifest.js");
  const locked = await withLockedPlugins(file, cwd, stdPlugins());
  const manifests = new Map<string, ModuleManifest>();
  for (const [name, dir] of stdPackageDirs()) {
    const manifest = join(dir, "module.toml");
    if (locked.commands.get(name) && existsSync(manifest))
      manifests.set(name, parseModuleManifest(readFileSync(manifest, "utf8"), manifest));
  }
  for (const [id, m] of locked.manifests) manifests.set(id, m);
  return { commands: locked.commands, manifests };
}

/** Name → version of every std plugin installed beside this core (what cig.lock records as `builtin`). */
export function stdVersions(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, dir] of stdPackageDirs()) {
    const version = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: string }).version;
    if (version) out.set(name, version);
  }
  return out;
}

/**
 * Name → the `[provides]` table of each std module's `module.toml`, which
 * says when cig.toml uses the module. A module without a readable manifest
 * is left out, and is then started on every run.
 */
export function stdModuleProvides(): Map<string, ModuleProvides> {
  const out = new Map<string, ModuleProvides>();
  for (const [name, dir] of stdPackageDirs()) {
    const file = join(dir, "module.toml");
    if (!existsSync(file)) continue;
    const provides = (parse(readFileSync(file, "utf8")) as { provides?: Partial<Record<keyof ModuleProvides, string[]>> }).provides ?? {};
    out.set(name, {
      packages: provides.packages ?? [],
      services: provides.services ?? [],
      facts: provides.facts ?? [],
      inputs: provides.inputs ?? [],
    });
  }
  return out;
}

let dirs: Map<string, string> | undefined;
function stdPackageDirs(): Map<string, string> {
  if (dirs) return dirs;
  const require = createRequire(import.meta.url);
  dirs = new Map();
  for (const [name, pkg] of Object.entries(STD_PACKAGES)) {
    try {
      dirs.set(name, dirname(require.resolve(`${pkg}/package.json`)));
    } catch {
      // Not installed: the name then resolves through PATH like any plugin.
    }
  }
  return dirs;
}
