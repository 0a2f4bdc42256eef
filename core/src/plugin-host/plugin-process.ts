import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import type { Socket } from "node:net";
import { join } from "node:path";
import type { Readable } from "node:stream";
import * as grpc from "@grpc/grpc-js";
import { CigError } from "../errors/cig-error.js";
import type { LogSink } from "../logger.js";
import { type Handshake, parseHandshakeLine } from "./handshake-line.js";
import { pluginEnv } from "./plugin-env.js";
import { checkExecutable } from "./plugin-resolver.js";
import { describeExit, type ExitInfo, killGroup } from "./process-group.js";
import { trackProcessGroup, untrackProcessGroup } from "./process-reaper.js";
import { readHandshake } from "./read-handshake.js";
import { channelOptions, connectThroughHandoff, privateDir } from "./socket-handoff.js";
import { StderrCollector } from "./stderr-collector.js";

export type { ExitInfo } from "./process-group.js";

/** How to run one plugin executable. */
export interface PluginCommand {
  /** Executable path (or a bare name looked up on PATH). */
  command: string;
  args?: readonly string[];
  /** Shown in errors until the plugin reports its name. */
  displayName?: string;
  /** The name its Info must report: a plugin started as `lang/node` (std or locked) must say so. */
  expectName?: string;
  cwd?: string;
}

/** Settings shared by every plugin a host starts. */
export interface ProcessOptions {
  coreVersion: string;
  sink: LogSink;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Spawn to handshake line. */
  startTimeoutMs: number;
  maxMessageBytes: number;
  extraEnv?: readonly string[];
  protocols: readonly number[];
  /** Called once, right after the spawn (or as soon as it is clear there will be none). */
  onSpawned?: (() => void) | undefined;
}

/**
 * One running plugin process and its gRPC channel.
 *
 * Transport ("socket handoff"): the core listens on a unix socket in a
 * private 0700 directory, lets grpc-js connect to it through its public API,
 * and hands the accepted end to the child as fd 0 and fd 1. The bytes flow
 * kernel to kernel; no JavaScript stream sits between grpc-js and the child,
 * and no TCP port is opened. The child writes its handshake line to fd 3.
 */
export class PluginProcess {
  name: string;
  private exitInfo: ExitInfo | undefined;
  private readonly exitPromise: Promise<ExitInfo>;

  private constructor(
    readonly child: ChildProcess,
    readonly client: grpc.Client,
    readonly handshake: Handshake,
    readonly stderr: StderrCollector,
    private readonly dir: string,
    exitPromise: Promise<ExitInfo>,
    displayName: string,
    private readonly lifeline?: grpc.Client,
  ) {
    this.name = displayName;
    this.exitPromise = exitPromise.then((info) => {
      this.exitInfo = info;
      return info;
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Set once the process has exited. */
  get exited(): ExitInfo | undefined {
    return this.exitInfo;
  }

  /** Resolves when the process has exited. */
  waitForExit(): Promise<ExitInfo> {
    return this.exitPromise;
  }

  /** Sends `signal` to the plugin's whole process group. */
  kill(signal: NodeJS.Signals): void {
    killGroup(this.pid, signal);
  }

  /** Closes the gRPC channel (and the lifeline): the plugin sees EOF on fd 0. */
  closeChannel(): void {
    this.client.close();
    this.lifeline?.close();
  }

  /**
   * Closes the channel and waits `graceMs` for the plugin to exit by itself,
   * then sends SIGTERM, then SIGKILL after another `graceMs` (at once when
   * `graceMs` is 0). Never throws; resolves when the process is gone.
   */
  async terminate(graceMs: number): Promise<ExitInfo> {
    // Closing the channel is the polite request to leave.
    this.closeChannel();
    if (!this.exitInfo && graceMs > 0) await Promise.race([this.exitPromise, delay(graceMs)]);
    if (!this.exitInfo) {
      this.kill(graceMs > 0 ? "SIGTERM" : "SIGKILL");
      const timer = setTimeout(() => this.kill("SIGKILL"), graceMs);
      await this.exitPromise;
      clearTimeout(timer);
    }
    // Children the plugin left in its group go too.
    killGroup(this.pid, "SIGKILL");
    untrackProcessGroup(this.pid);
    rmSync(this.dir, { recursive: true, force: true });
    return this.exitPromise;
  }

  /** Spawns a plugin and completes the handshake, or throws a CigError. */
  static async start(cmd: PluginCommand, opts: ProcessOptions): Promise<PluginProcess> {
    const display = cmd.displayName ?? cmd.command;
    let signalled = false;
    const spawned = () => {
      if (!signalled) opts.onSpawned?.();
      signalled = true;
    };
    let dir: string;
    let conn: { client: grpc.Client; socket: Socket };
    try {
      await checkExecutable(cmd.command, display);
      dir = privateDir();
      try {
        conn = await connectThroughHandoff(join(dir, "c.sock"), opts.maxMessageBytes);
      } catch (err) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    } catch (err) {
      spawned();
      throw err;
    }
    let child: ChildProcess;
    try {
      child = spawn(cmd.command, [...(cmd.args ?? [])], {
        cwd: cmd.cwd,
        env: pluginEnv(process.env, { ...opts, unixDir: dir, extraAllowed: opts.extraEnv ?? [] }),
        stdio: [conn.socket, conn.socket, "pipe", "pipe"],
        // Own process group: one signal reaches the plugin and its children.
        detached: true,
      });
    } finally {
      // The child holds its own copies of the socket; ours must not read it.
      conn.socket.destroy();
      spawned();
    }
    const exitPromise = new Promise<ExitInfo>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
      child.once("error", () => resolve({ code: null, signal: null }));
    });
    const stderrStream = child.stdio[2] as Readable;
    const stderr = new StderrCollector(stderrStream, display, opts.sink);
    if (child.pid !== undefined) trackProcessGroup(child.pid);

    const fail = async (error: CigError): Promise<never> => {
      conn.client.close();
      killGroup(child.pid ?? -1, "SIGKILL");
      const exit = await exitPromise;
      await Promise.race([stderr.drained(), delay(200)]);
      untrackProcessGroup(child.pid ?? -1);
      rmSync(dir, { recursive: true, force: true });
      if (child.pid !== undefined) error.details.pid = child.pid;
      error.details.stderrTail = stderr.lastLines();
      if (stderr.crashReport().length > 0) error.details.crashReport = stderr.crashReport();
      error.details.exitCode ??= exit.code;
      error.details.signal ??= exit.signal;
      throw error;
    };

    const outcome = await readHandshake(child, exitPromise, opts.startTimeoutMs);
    const at = { plugin: display, hook: "handshake" };
    if (outcome.kind === "spawn-error") {
      return fail(
        new CigError(
          "CIG_PLUGIN_SPAWN_FAILED",
          `could not start plugin ${display}: ${outcome.message}`,
          "Check that the plugin path is right and that its interpreter (shebang line) exists.",
          { ...at, hook: "start" },
        ),
      );
    }
    if (outcome.kind === "exited") {
      await Promise.race([stderr.drained(), delay(200)]);
      return fail(
        new CigError(
          "CIG_PLUGIN_EXITED_EARLY",
          `plugin ${display} exited before its handshake (${describeExit(outcome.exit)})`,
          "Run the plugin with `cig plugin test <path>` to see its output; it must write the handshake line to fd 3 and then serve.",
          { ...at, exitCode: outcome.exit.code, signal: outcome.exit.signal },
        ),
      );
    }
    if (outcome.kind === "timeout") {
      return fail(
        new CigError(
          "CIG_PLUGIN_START_TIMEOUT",
          `plugin ${display} wrote no handshake line within ${opts.startTimeoutMs} ms`,
          "A slow plugin can be given more time with --plugin-start-timeout; a plugin that never writes its handshake line to fd 3 is broken.",
          at,
        ),
      );
    }
    const parsed = parseHandshakeLine(outcome.line);
    if (!parsed.ok) {
      return fail(
        new CigError(
          "CIG_PLUGIN_BAD_HANDSHAKE",
          `plugin ${display} wrote a bad handshake line ${JSON.stringify(outcome.line.slice(0, 200))}: ${parsed.reason}`,
          "The line must be `1|<protocol>|stdio|fd:0|grpc` (or `1|<protocol>|unix|<socket path>|grpc`); see docs/plugin-protocol.md.",
          at,
        ),
      );
    }
    const hs = parsed.handshake;
    if (!opts.protocols.includes(hs.protocol)) {
      const newer = hs.protocol > Math.max(...opts.protocols);
      return fail(
        new CigError(
          "CIG_PLUGIN_PROTOCOL_MISMATCH",
          `plugin ${display} speaks protocol ${hs.protocol}; this cig ${opts.coreVersion} speaks ${opts.protocols.join(", ")}`,
          newer
            ? "Upgrade cig (the plugin is newer than this core), or pin an older plugin version in cig.toml."
            : "Upgrade the plugin to a version built for this protocol (`cig sync --upgrade`), or use an older cig.",
          at,
        ),
      );
    }
    if (hs.transport === "stdio") return new PluginProcess(child, conn.client, hs, stderr, dir, exitPromise, display);
    const unixClient = new grpc.Client(`unix:${hs.address}`, grpc.credentials.createInsecure(), channelOptions(opts.maxMessageBytes));
    // The stdio channel stays open as the plugin's lifeline: EOF on fd 0 tells it the core is gone.
    return new PluginProcess(child, unixClient, hs, stderr, dir, exitPromise, display, conn.client);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
