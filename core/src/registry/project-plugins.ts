import { dirname, join, relative } from "node:path";
import { parseToml } from "../config/parse-toml.js";
import { SourceMap } from "../config/source-map.js";
import { CigError } from "../errors/cig-error.js";
import { readConfig } from "../pipeline/config-file.js";
import { LOCK_FILE } from "./lock-file.js";
import { addressProblem, isHost } from "./plugin-address.js";
import { type PluginRequirements, pluginRequirements } from "./plugin-requirements.js";

/** A project's cig.toml as `cig sync` and the lock check read it. */
export interface ProjectPlugins {
  configFile: string;
  /** cig.lock beside cig.toml. */
  lockFile: string;
  /** For messages: the lock's path relative to the working directory. */
  lockDisplay: string;
  text: string;
  data: Record<string, unknown>;
  requirements: PluginRequirements;
}

/**
 * Reads cig.toml for its plugins. A syntax error, and a `[plugins]` entry
 * whose name or range is not valid, are errors with their position; the rest
 * of the file is checked by plan/render.
 */
export function readProjectPlugins(
  configFile: string,
  cwd: string,
  std: ReadonlySet<string>,
  env: NodeJS.ProcessEnv = process.env,
): ProjectPlugins {
  const text = readConfig(configFile, cwd);
  const display = relative(cwd, configFile) || configFile;
  const parsed = parseToml(text, display);
  if (!parsed.ok) {
    const d = parsed.diagnostic;
    throw new CigError(
      "CIG_DIAGNOSTICS",
      d.title,
      d.fixHint || "Fix the TOML syntax.",
      d.loc ? { location: `${display}:${d.loc.line}:${d.loc.column}` } : {},
    );
  }
  const data = parsed.data as Record<string, unknown>;
  const plugins = data.plugins;
  if (plugins && typeof plugins === "object" && !Array.isArray(plugins)) {
    for (const [id, ref] of Object.entries(plugins)) {
      const range = typeof ref === "string" ? ref : (ref as { version?: unknown })?.version;
      const source = typeof ref === "string" ? undefined : (ref as { source?: unknown })?.source;
      const problem =
        typeof range !== "string"
          ? 'needs a version range, e.g. "~1.2"'
          : (addressProblem(`${id}@${range}`) ??
            (source !== undefined && (typeof source !== "string" || !isHost(source.toLowerCase()))
              ? `source ${JSON.stringify(source)} is not a registry host name (registry.example.com)`
              : undefined));
      if (!problem) continue;
      const loc = SourceMap.build(text, display).locate(["plugins", id]);
      throw new CigError(
        "CIG_PLUGIN_ADDRESS_INVALID",
        `[plugins] "${id}": ${problem}`,
        'Write entries as "namespace/name" = "<semver range>", e.g. "lang/ruby" = "~1.2".',
        {
          location: `${display}:${loc.line}:${loc.column}`,
        },
      );
    }
  }
  const lockFile = join(dirname(configFile), LOCK_FILE);
  return {
    configFile,
    lockFile,
    lockDisplay: relative(cwd, lockFile) || lockFile,
    text,
    data,
    requirements: pluginRequirements(data, std, env),
  };
}
