import type { Output } from "@cig/proto";
import type { PluginCommand } from "../plugin-host/plugin-process.js";

/** Std plugins that are modules: loaded on every run for detection and planning. */
const MODULE_PREFIXES = ["lang/", "db/", "cache/", "browser/", "policy/"];

/**
 * The plugins a run starts: every std module, and the provider plugin of
 * each output's provider. (Locked third-party plugins join in a later issue.)
 */
export function selectPlugins(std: ReadonlyMap<string, string>, outputs: readonly Output[], cwd: string): PluginCommand[] {
  const providers = new Set(outputs.map((o) => `provider/${o.provider}`));
  return [...std.entries()]
    .filter(([name]) => providers.has(name) || MODULE_PREFIXES.some((p) => name.startsWith(p)))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, command]) => ({ command, displayName: name, cwd }));
}
