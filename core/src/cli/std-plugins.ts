import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

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
  const require = createRequire(import.meta.url);
  const out = new Map<string, string>();
  for (const [name, pkg] of Object.entries(STD_PACKAGES)) {
    try {
      const manifest = require.resolve(`${pkg}/package.json`);
      const bin = (JSON.parse(readFileSync(manifest, "utf8")) as { bin?: Record<string, string> }).bin ?? {};
      const first = Object.values(bin)[0];
      if (first) out.set(name, join(dirname(manifest), first));
    } catch {
      // Not installed: the name then resolves through PATH like any plugin.
    }
  }
  return out;
}
