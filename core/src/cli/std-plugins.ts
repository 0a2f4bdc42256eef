import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join } from "node:path";
import { parse } from "smol-toml";
import type { ModuleProvides } from "../pipeline/select-plugins.js";
import { mayUseRegistry } from "../registry/may-use-registry.js";

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
 * The plugins a run of the project may start: the std ones and the registry
 * plugins of its cig.lock (checked against the lock first, docs/registry.md).
 */
export async function projectPlugins(cwd: string, config: string | undefined): Promise<Map<string, string>> {
  const file = config ? (isAbsolute(config) ? config : join(cwd, config)) : join(cwd, "cig.toml");
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // No cig.toml: the pipeline reports that with its own error.
  }
  if (!mayUseRegistry(text)) return stdPlugins();
  const { withLockedPlugins } = await import("../registry/locked-plugins.js");
  return withLockedPlugins(file, cwd, stdPlugins());
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
