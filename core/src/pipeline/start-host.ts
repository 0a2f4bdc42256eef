import { CapabilityRegistry } from "../plugin-host/capability-registry.js";
import type { HostOptions, PluginHost } from "../plugin-host/plugin-host.js";
import type { PluginCommand } from "../plugin-host/plugin-process.js";

/** What the pipeline uses of a {@link PluginHost}. */
export type PipelineHost = Pick<PluginHost, "plugins" | "capabilities" | "shutdown">;

/**
 * Starts `commands` in a PluginHost, loaded on demand: the host brings gRPC
 * (~50 ms of module loading), which a run without plugins — signing a
 * repository whose jobs use no modules — never needs. With no commands, a
 * host of no plugins.
 */
export async function startHost(commands: readonly PluginCommand[], options: HostOptions = {}): Promise<PipelineHost> {
  if (commands.length === 0) return { plugins: [], capabilities: new CapabilityRegistry([]), shutdown: async () => {} };
  const { PluginHost } = await import("../plugin-host/plugin-host.js");
  return PluginHost.start(commands, options);
}
