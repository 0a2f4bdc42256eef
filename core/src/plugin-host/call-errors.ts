import { readFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import { CigError, type ErrorDetails } from "../errors/cig-error.js";
import type { PluginProcess } from "./plugin-process.js";
import { describeExit } from "./process-group.js";

// After a transport failure, how long to wait for the process to exit before
// concluding that it is alive (a live process with a broken link wrote
// garbage to stdout).
const EXIT_GRACE_MS = 500;

/**
 * Maps a failed call to a CigError. The gRPC status says what the transport
 * saw; whether the process is still alive says why.
 */
export async function mapCallError(
  proc: PluginProcess,
  rpc: string,
  err: unknown,
  timeoutMs: number,
  probe: () => Promise<boolean>,
): Promise<CigError> {
  const e = err as Partial<grpc.ServiceError>;
  const code = typeof e.code === "number" ? e.code : grpc.status.UNKNOWN;
  const detail = e.details ?? (err instanceof Error ? err.message : String(err));
  const name = proc.name;
  const make = (c: ConstructorParameters<typeof CigError>[0], message: string, hint: string, extra: ErrorDetails = {}) => {
    const details: ErrorDetails = { plugin: name, hook: rpc, pid: proc.pid, stderrTail: proc.stderr.lastLines(), ...extra };
    const crash = proc.stderr.crashReport();
    if (crash.length > 0) details.crashReport = crash;
    return new CigError(c, message, hint, details, { cause: err });
  };

  switch (code) {
    case grpc.status.DEADLINE_EXCEEDED:
      return timedOut(proc, rpc, timeoutMs, probe, make);
    case grpc.status.RESOURCE_EXHAUSTED:
      return make(
        "CIG_PLUGIN_MESSAGE_TOO_LARGE",
        /sent message/i.test(detail)
          ? `cig's ${rpc} request to plugin ${name} is over the message size limit: ${detail}`
          : `plugin ${name} sent a ${rpc} message over the size limit: ${detail}`,
        "Stream large generate output as several GenerateResponse messages; very large inputs need a higher limit (HostOptions.maxMessageBytes).",
      );
    case grpc.status.UNIMPLEMENTED:
      return make(
        "CIG_PLUGIN_UNIMPLEMENTED",
        `plugin ${name} does not implement ${rpc}`,
        "The plugin's Info must list only the hooks it serves; update the plugin.",
      );
    case grpc.status.INTERNAL:
      if (/parsing error|parse|deserializ|invalid wire type|premature EOF|cannot read/i.test(detail)) {
        return make(
          "CIG_PLUGIN_BAD_RESPONSE",
          `plugin ${name} sent a malformed ${rpc} reply: ${detail}`,
          "The plugin serialises its reply wrongly; regenerate its code from proto/cig/plugin/v1 and run `cig plugin test` on it.",
        );
      }
      break;
    default:
      break;
  }

  // The HTTP/2 client saw bytes that are not HTTP/2: only stray output does that.
  if (/protocol error/i.test(detail)) return garbage(name, rpc, detail, make);
  // UNKNOWN is what most gRPC servers (Python's grpcio among them) answer
  // when a handler raises: a hook failure if the process lives on.
  const transportBroken =
    code === grpc.status.UNAVAILABLE ||
    code === grpc.status.CANCELLED ||
    code === grpc.status.UNKNOWN ||
    /connection|RST_STREAM|GOAWAY|stream/i.test(detail);
  const handlerRaised = code === grpc.status.UNKNOWN && !/connection|RST_STREAM|GOAWAY/i.test(detail);
  if (transportBroken) {
    const exit = proc.exited ?? (await Promise.race([proc.waitForExit(), delay(EXIT_GRACE_MS)]));
    if (exit && exit.code === 0) {
      // Plugins exit 0 when their link closes. The core did not close it, so
      // its HTTP/2 side hung up on bytes that were not HTTP/2.
      return make(
        "CIG_PLUGIN_STDOUT_GARBAGE",
        `plugin ${name} lost its gRPC link during ${rpc} and exited (exit code 0): it most likely wrote to stdout, which corrupts the stream, or it exited on purpose mid-call`,
        STDOUT_HINT,
        { exitCode: exit.code, signal: exit.signal },
      );
    }
    if (exit) {
      return make(
        "CIG_PLUGIN_CRASHED",
        `plugin ${name} crashed during ${rpc} (${describeExit(exit)})`,
        "This is a bug in the plugin; its last stderr lines are shown above. Report it to the plugin's author.",
        { exitCode: exit.code, signal: exit.signal },
      );
    }
    if (handlerRaised) return hookFailed(name, rpc, detail, make);
    return make(
      "CIG_PLUGIN_TRANSPORT",
      `the gRPC link to plugin ${name} broke during ${rpc} while the plugin kept running: ${detail}`,
      "Run `cig plugin test` on the plugin; if it passes, this is a bug in cig.",
    );
  }
  return hookFailed(name, rpc, detail, make);
}

function hookFailed(name: string, rpc: string, detail: string, make: Make): CigError {
  return make(
    "CIG_PLUGIN_HOOK_FAILED",
    `plugin ${name} failed in ${rpc}: ${detail}`,
    "The plugin reported an internal error (a bug in the plugin). Problems with your input would arrive as diagnostics instead.",
  );
}

type Make = (code: ConstructorParameters<typeof CigError>[0], message: string, hint: string, extra?: ErrorDetails) => CigError;

const STDOUT_HINT = "stdout is the gRPC channel: a plugin must log to stderr only (the cig SDKs redirect console output for you).";

function garbage(name: string, rpc: string, detail: string, make: Make): CigError {
  return make(
    "CIG_PLUGIN_STDOUT_GARBAGE",
    `plugin ${name} wrote something that is not gRPC to stdout during ${rpc} (${detail})`,
    STDOUT_HINT,
  );
}

/**
 * A deadline passed. Either the plugin is slow (its link still answers a
 * probe), or the link itself is dead: stray stdout bytes can desynchronise
 * HTTP/2 so that nothing more is ever read, and a plugin blocking its event
 * loop cannot answer either. CPU use during the probe tells those two apart.
 */
async function timedOut(proc: PluginProcess, rpc: string, timeoutMs: number, probe: () => Promise<boolean>, make: Make): Promise<CigError> {
  const name = proc.name;
  const cpuBefore = cpuTicks(proc.pid);
  const t0 = Date.now();
  const alive = proc.exited === undefined && (await probe());
  const cpuAfter = cpuTicks(proc.pid);
  const busy = cpuBefore !== undefined && cpuAfter !== undefined && (cpuAfter - cpuBefore) * 10 >= (Date.now() - t0) * 0.5;
  if (!alive && !busy && proc.exited === undefined) {
    return make(
      "CIG_PLUGIN_STDOUT_GARBAGE",
      `plugin ${name} stopped answering on its gRPC link during ${rpc}: no reply within ${timeoutMs} ms and no answer to a health probe while idle; it most likely wrote to stdout and corrupted the stream`,
      `${STDOUT_HINT} It was stopped.`,
    );
  }
  return make(
    "CIG_PLUGIN_TIMEOUT",
    `plugin ${name} did not answer ${rpc} within ${timeoutMs} ms${busy ? " (it was busy on the CPU and not answering)" : ""}`,
    "The plugin hangs or is very slow; it was stopped. Raise the limit with --plugin-timeout if the work is genuinely slow.",
  );
}

/** utime+stime of a process in clock ticks (1/100 s on Linux); undefined where /proc is missing. */
function cpuTicks(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return Number(f[11]) + Number(f[12]);
  } catch {
    return undefined;
  }
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
