import { create } from "@bufbuild/protobuf";
import { type Output, OutputSchema } from "@cig/proto";
import { type PlainTable, parseToml } from "../config/parse-toml.js";
import type { PluginHost } from "../plugin-host/plugin-host.js";
import type { PluginCommand } from "../plugin-host/plugin-process.js";
import type { PipelineOptions } from "./pipeline-types.js";
import { selectPlugins, usesFromRaw } from "./select-plugins.js";

/** Plugins started before cig.toml was checked; see {@link startEarly}. */
export interface EarlyStart {
  commands: PluginCommand[];
  host: Promise<PluginHost>;
  /** The parsed TOML, for loadConfig to reuse. */
  data: PlainTable;
}

/**
 * Starts the plugins the raw cig.toml asks for and resolves as soon as every
 * process is spawned, so that their boot (~100 ms each, in their own
 * processes) overlaps the checks of cig.toml in this one. Undefined when the
 * text is not TOML or names no usable outputs: the run then starts its
 * plugins after the checks, as before. The host's own failure is the
 * caller's to handle ({@link adoptEarly}).
 */
export async function startEarly(text: string, opts: PipelineOptions): Promise<EarlyStart | undefined> {
  const parsed = parseToml(text, "cig.toml");
  if (!parsed.ok) return undefined;
  const outputs = rawOutputs(parsed.data, opts.providers);
  if (!outputs) return undefined;
  const commands = selectPlugins(opts.stdPlugins, opts.stopAfter === "plan" ? [] : outputs, opts.cwd, {
    schema: usesFromRaw(parsed.data),
    text,
    provides: opts.stdModules ?? new Map(),
  });
  if (commands.length === 0) return undefined;
  let left = commands.length;
  let allSpawned!: () => void;
  const spawned = new Promise<void>((resolve) => {
    allSpawned = resolve;
  });
  // Loaded here, not on import: a run without plugins never needs the host and its gRPC.
  const { PluginHost } = await import("../plugin-host/plugin-host.js");
  const host = PluginHost.start(commands, { ...opts.host, onSpawned: () => --left === 0 && allSpawned() });
  const settled = host.then(
    () => {},
    () => {},
  );
  await Promise.race([spawned, settled]);
  return { commands, host, data: parsed.data };
}

/**
 * The early host when it runs exactly `commands` (what the checked cig.toml
 * asks for); otherwise it is stopped and the answer is undefined. A start
 * failure of the early host is thrown only when it was the right set.
 */
export async function adoptEarly(early: EarlyStart | undefined, commands: readonly PluginCommand[]): Promise<PluginHost | undefined> {
  if (!early) return undefined;
  const key = (cs: readonly PluginCommand[]) => JSON.stringify(cs.map((c) => [c.displayName, c.command, c.args ?? []]));
  if (key(early.commands) === key(commands)) return early.host;
  await discardEarly(early);
  return undefined;
}

/** Stops an early host whose plugins the run does not need (cig.toml had errors); never throws. */
export async function discardEarly(early: EarlyStart | undefined): Promise<void> {
  if (!early) return;
  try {
    await (await early.host).shutdown();
  } catch {
    // It failed to start: nothing is left running (PluginHost.start cleans up).
  }
}

// [[outputs]] as the config loader will read them (github by default),
// restricted to --provider; undefined when a requested provider is missing.
function rawOutputs(data: Record<string, unknown>, providers: readonly string[] | undefined): Output[] | undefined {
  const entries = Array.isArray(data.outputs) ? data.outputs : [];
  const named = entries.flatMap((o) =>
    o && typeof o === "object" && typeof (o as { provider?: unknown }).provider === "string" ? [(o as { provider: string }).provider] : [],
  );
  const all = (named.length > 0 ? named : ["github"]).map((provider) => create(OutputSchema, { provider }));
  if (!providers || providers.length === 0) return all;
  if (providers.some((p) => !all.some((o) => o.provider === p))) return undefined;
  return all.filter((o) => providers.includes(o.provider));
}
