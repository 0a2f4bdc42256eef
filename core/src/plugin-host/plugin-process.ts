import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import * as grpc from "@grpc/grpc-js";
import { CigError } from "../errors/cig-error.js";
import type { LogSink } from "../logger.js";
import { type Handshake, parseHandshakeLine } from "./handshake-line.js";
import { HANDSHAKE_FD, pluginEnv } from "./plugin-env.js";
import { checkExecutable } from "./plugin-resolver.js";
import { trackProcessGroup, untrackProcessGroup } from "./process-reaper.js";
import { StderrCollector } from "./stderr-collector.js";

/** How to run one plugin executable. */
export interface PluginCommand {
  /** Executable path (or a bare name looked up on PATH). */
  command: string;
  args?: readonly string[];
  /** Shown in errors until the plugin reports its name. */
  displayName?: string;
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
}

/** How a plugin process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
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

  /**
   * Closes the channel and waits `graceMs` for the plugin to exit by itself,
   * then sends SIGTERM, then SIGKILL after another `graceMs` (at once when
   * `graceMs` is 0). Never throws; resolves when the process is gone.
   */
  /** Closes the gRPC channel (and the lifeline): the plugin sees EOF on fd 0. */
  closeChannel(): void {
    this.client.close();
    this.lifeline?.close();
  }

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
    await checkExecutable(cmd.command, display);
    const dir = privateDir();
    let conn: { client: grpc.Client; socket: Socket };
    try {
      conn = await connectThroughHandoff(join(dir, "c.sock"), opts.maxMessageBytes);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
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

type HandshakeOutcome =
  | { kind: "line"; line: string }
  | { kind: "exited"; exit: ExitInfo }
  | { kind: "timeout" }
  | { kind: "spawn-error"; message: string };

function readHandshake(child: ChildProcess, exited: Promise<ExitInfo>, timeoutMs: number): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    const fd3 = child.stdio[HANDSHAKE_FD] as Readable;
    let buf = "";
    const timer = setTimeout(() => resolve({ kind: "timeout" }), timeoutMs);
    const done = (o: HandshakeOutcome) => {
      clearTimeout(timer);
      fd3.removeAllListeners("data");
      resolve(o);
    };
    child.once("error", (err) => done({ kind: "spawn-error", message: err.message }));
    fd3.setEncoding("utf8");
    fd3.on("data", (chunk: string) => {
      buf += chunk;
      const nl = buf.indexOf("\n");
      if (nl >= 0) done({ kind: "line", line: buf.slice(0, nl) });
      else if (buf.length > 4096) done({ kind: "line", line: buf });
    });
    // Drain anything after the line so a chatty plugin cannot block on fd 3.
    fd3.on("error", () => {});
    fd3.once("end", () => {
      if (buf !== "") done({ kind: "line", line: buf });
    });
    exited.then((exit) => {
      // Give a line written just before exiting the chance to arrive first.
      setTimeout(() => done(buf !== "" ? { kind: "line", line: buf } : { kind: "exited", exit }), 20);
    });
  });
}

/** grpc-js channel options for a plugin link. */
export function channelOptions(maxMessageBytes: number): grpc.ChannelOptions {
  return {
    "grpc.max_receive_message_length": maxMessageBytes,
    "grpc.max_send_message_length": maxMessageBytes,
    // A stdio link cannot be redialled: never let grpc-js close it for idleness.
    "grpc.client_idle_timeout_ms": 2_147_483_647,
    "grpc.enable_retries": 0,
    // Channelz bookkeeping costs ~0.1 ms a call; nobody inspects these channels.
    "grpc.enable_channelz": 0,
  };
}

async function connectThroughHandoff(path: string, maxMessageBytes: number): Promise<{ client: grpc.Client; socket: Socket }> {
  const server = createServer({ pauseOnConnect: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, resolve);
  });
  try {
    const accepted = new Promise<Socket>((resolve) => server.once("connection", resolve));
    const client = new grpc.Client(`unix:${path}`, grpc.credentials.createInsecure(), channelOptions(maxMessageBytes));
    client.getChannel().getConnectivityState(true);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        client.close();
        reject(
          new CigError(
            "CIG_PLUGIN_TRANSPORT",
            "grpc-js did not connect to the plugin socket within 5 s",
            "This is a bug in cig or a broken temp directory; check that $TMPDIR is writable.",
          ),
        );
      }, 5000);
    });
    const socket = await Promise.race([accepted, timeout]).finally(() => clearTimeout(timer));
    return { client, socket };
  } finally {
    // No second connection is ever accepted; the socket file goes with the server.
    server.close();
  }
}

function privateDir(): string {
  // sun_path is 108 bytes: fall back to /tmp when TMPDIR is long (macOS).
  const base = tmpdir().length > 60 ? "/tmp" : tmpdir();
  return mkdtempSync(join(base, "cig-"));
}

/** Signals a process group, ignoring groups that are already gone. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

/** "exit code 3", "signal SIGKILL". */
export function describeExit(exit: ExitInfo): string {
  if (exit.signal) return `signal ${exit.signal}`;
  return exit.code === null ? "could not be started" : `exit code ${exit.code}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
