import { InfoRequestSchema, InfoResponseSchema, ShutdownRequestSchema, ShutdownResponseSchema, SUPPORTED_PROTOCOLS } from "@cig/proto";
import { CigError, isCigError } from "../errors/cig-error.js";
import { type LogSink, silentSink } from "../logger.js";
import { CORE_VERSION } from "../version.js";
import { CapabilityRegistry } from "./capability-registry.js";
import { LoadedPlugin } from "./loaded-plugin.js";
import { DEFAULT_TIMEOUTS, type HookTimeouts, PluginRpc } from "./plugin-client.js";
import { validatePluginInfo } from "./plugin-info-check.js";
import { type PluginCommand, PluginProcess } from "./plugin-process.js";

/** Settings of a {@link PluginHost}; every field has a production default. */
export interface HostOptions {
  coreVersion?: string;
  sink?: LogSink;
  logLevel?: "debug" | "info" | "warn" | "error";
  /** Spawn to handshake line, ms. Default 10 s. */
  startTimeoutMs?: number;
  timeouts?: Partial<HookTimeouts>;
  /** Largest gRPC message either way. Default 32 MiB. */
  maxMessageBytes?: number;
  /** Extra environment variable names plugins may see. */
  extraEnv?: readonly string[];
  protocols?: readonly number[];
  /** After Shutdown (or a closed channel), how long a plugin gets before SIGTERM, then SIGKILL. */
  graceMs?: number;
  /** Called once per plugin right after its process was spawned (or failed to be). */
  onSpawned?: () => void;
}

/**
 * Starts plugins in parallel, checks that they fit together, and stops them
 * all again. A failure to start any plugin stops the others and throws a
 * CigError; no process is ever left behind.
 */
export class PluginHost {
  private stopped = false;

  private constructor(
    readonly plugins: readonly LoadedPlugin[],
    readonly capabilities: CapabilityRegistry,
    private readonly graceMs: number,
  ) {}

  /** Starts every command, runs Info on each, and checks capabilities. */
  static async start(commands: readonly PluginCommand[], options: HostOptions = {}): Promise<PluginHost> {
    const graceMs = options.graceMs ?? 1000;
    const results = await Promise.allSettled(commands.map((cmd) => startOne(cmd, options, graceMs)));
    const loaded = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    if (failures.length > 0) {
      await Promise.all(loaded.map((p) => p.process.terminate(graceMs)));
      const sink = options.sink ?? silentSink;
      for (const extra of failures.slice(1)) {
        sink({ level: "error", source: "cig", msg: extra instanceof Error ? extra.message : String(extra) });
      }
      throw failures[0];
    }
    const seen = new Map<string, LoadedPlugin>();
    const host = new PluginHost(loaded, new CapabilityRegistry(loaded.map(capabilityOwner)), graceMs);
    try {
      for (const p of loaded) {
        const twin = seen.get(p.name);
        if (twin) {
          throw new CigError(
            "CIG_PLUGIN_DUPLICATE",
            `plugin ${p.name} is loaded twice (${twin.command.command} and ${p.command.command})`,
            "List each plugin once in cig.toml.",
            { plugin: p.name },
          );
        }
        seen.set(p.name, p);
      }
      host.capabilities.check();
    } catch (err) {
      await host.shutdown();
      throw err;
    }
    return host;
  }

  /** The plugin with this name. */
  get(name: string): LoadedPlugin | undefined {
    return this.plugins.find((p) => p.name === name);
  }

  /**
   * Asks every live plugin to shut down, then closes its channel and
   * escalates to SIGTERM and SIGKILL. Idempotent.
   */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(
      this.plugins.map(async (p) => {
        if (!p.process.exited) {
          await p.rpc.unary("shutdown", ShutdownRequestSchema, ShutdownResponseSchema, {}).catch(() => undefined);
        }
        await p.process.terminate(this.graceMs);
      }),
    );
  }
}

async function startOne(cmd: PluginCommand, options: HostOptions, graceMs: number): Promise<LoadedPlugin> {
  const coreVersion = options.coreVersion ?? CORE_VERSION;
  const proc = await PluginProcess.start(cmd, {
    coreVersion,
    sink: options.sink ?? silentSink,
    logLevel: options.logLevel ?? "info",
    startTimeoutMs: options.startTimeoutMs ?? 10_000,
    maxMessageBytes: options.maxMessageBytes ?? 32 * 1024 * 1024,
    extraEnv: options.extraEnv ?? [],
    protocols: options.protocols ?? SUPPORTED_PROTOCOLS,
    onSpawned: options.onSpawned,
  });
  // A plugin whose link is broken or that hangs is of no further use: stop it
  // at once so that it cannot linger.
  const rpc = new PluginRpc(proc, { ...DEFAULT_TIMEOUTS, ...options.timeouts }, async (err) => {
    if (["CIG_PLUGIN_TIMEOUT", "CIG_PLUGIN_STDOUT_GARBAGE", "CIG_PLUGIN_CRASHED", "CIG_PLUGIN_BAD_RESPONSE"].includes(err.code)) {
      await proc.terminate(0);
    }
  });
  try {
    const res = await rpc.unary("info", InfoRequestSchema, InfoResponseSchema, {
      coreProtocol: proc.handshake.protocol,
      coreVersion,
    });
    const info = validatePluginInfo(res.info, proc.handshake.protocol, proc.name);
    if (cmd.expectName && info.name !== cmd.expectName)
      throw new CigError(
        "CIG_PLUGIN_BAD_INFO",
        `plugin ${cmd.expectName} (${cmd.command}) reports the name ${info.name} in Info`,
        "A plugin's Info name must be the name it is installed as (its module.toml name); report this to its author.",
        { plugin: cmd.expectName, hook: "info" },
      );
    proc.name = info.name;
    proc.stderr.rename(info.name);
    return new LoadedPlugin(cmd, proc, rpc, info);
  } catch (err) {
    await proc.terminate(graceMs);
    if (isCigError(err)) {
      err.details.hook ??= "info";
      err.details.pid ??= proc.pid;
    }
    throw err;
  }
}

function capabilityOwner(p: LoadedPlugin) {
  return { name: p.name, capabilities: p.info.capabilities, requires: p.info.requires, conflictsWith: p.info.conflictsWith };
}
