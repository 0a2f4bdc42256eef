import { constants, existsSync } from "node:fs";
import { access, stat } from "node:fs/promises";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { CigError } from "../errors/cig-error.js";

/**
 * Checks that `command` names an executable file, so that the common
 * mistakes get their own error code instead of a bare spawn ENOENT.
 * Bare names are looked up on PATH the way the shell does.
 */
export async function checkExecutable(command: string, display: string): Promise<string> {
  const candidates = command.includes("/")
    ? [command]
    : (process.env.PATH ?? "")
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, command));
  let notExecutable: string | undefined;
  for (const candidate of candidates) {
    const info = await stat(candidate).catch(() => undefined);
    if (!info?.isFile()) continue;
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      notExecutable ??= candidate;
    }
  }
  if (notExecutable) {
    throw new CigError(
      "CIG_PLUGIN_NOT_EXECUTABLE",
      `plugin ${display} is not executable: ${notExecutable}`,
      `Make it executable: chmod +x ${notExecutable}`,
      { plugin: display, hook: "start" },
    );
  }
  throw new CigError(
    "CIG_PLUGIN_NOT_FOUND",
    command.includes("/") ? `plugin ${display} not found at ${command}` : `plugin ${display} not found: no ${command} on PATH`,
    command.includes("/")
      ? "Check the path, or build the plugin first (`pnpm build`)."
      : "Install the plugin, put its directory on PATH, or give its path.",
    { plugin: display, hook: "start" },
  );
}

/**
 * Turns what a user typed into a command: a path (one that exists, or starts
 * with "." or "/"), a std plugin name ("lang/node"), or a
 * name looked up on PATH as `cig-plugin-<namespace>-<name>`.
 */
export function resolvePluginCommand(
  spec: string,
  cwd: string,
  stdPlugins: ReadonlyMap<string, string>,
): { command: string; displayName: string } {
  const std = stdPlugins.get(spec);
  if (std) return { command: std, displayName: spec };
  if (spec.startsWith(".") || isAbsolute(spec) || existsSync(resolve(cwd, spec))) {
    return { command: resolve(cwd, spec), displayName: spec };
  }
  if (/^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/.test(spec)) {
    return { command: `cig-plugin-${spec.replace("/", "-")}`, displayName: spec };
  }
  return { command: resolve(cwd, spec), displayName: spec };
}
