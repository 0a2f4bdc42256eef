import * as grpc from "@grpc/grpc-js";
import { CigError, type ErrorDetails } from "../errors/cig-error.js";
import { describeExit, type PluginProcess } from "./plugin-process.js";

// After a transport failure, how long to wait for the process to exit before
// concluding that it is alive (a live process with a broken link wrote
// garbage to stdout).
const EXIT_GRACE_MS = 500;

/**
 * Maps a failed call to a CigError. The gRPC status says what the transport
 * saw; whether the process is still alive says why.
 */
export async function mapCallError(proc: PluginProcess, rpc: string, err: unknown, timeoutMs: number): Promise<CigError> {
  const e = err as Partial<grpc.ServiceError>;
  const code = typeof e.code === "number" ? e.code : grpc.status.UNKNOWN;
  const detail = e.details ?? (err instanceof Error ? err.message : String(err));
  const name = proc.name;
  const make = (c: ConstructorParameters<typeof CigError>[0], message: string, hint: string, extra: ErrorDetails = {}) => {
    const details: ErrorDetails = { plugin: name, hook: rpc, stderrTail: proc.stderr.lastLines(), ...extra };
    const crash = proc.stderr.crashReport();
    if (crash.length > 0) details.crashReport = crash;
    return new CigError(c, message, hint, details, { cause: err });
  };

  switch (code) {
    case grpc.status.DEADLINE_EXCEEDED:
      return make(
        "CIG_PLUGIN_TIMEOUT",
        `plugin ${name} did not answer ${rpc} within ${timeoutMs} ms`,
        "The plugin hangs or is very slow; it was stopped. Raise the limit with --plugin-timeout if the work is genuinely slow.",
      );
    case grpc.status.RESOURCE_EXHAUSTED:
      return make(
        "CIG_PLUGIN_MESSAGE_TOO_LARGE",
        `plugin ${name} sent a ${rpc} message over the size limit: ${detail}`,
        "Stream large generate output as several GenerateResponse messages, or raise --max-message-size.",
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

  const transportBroken =
    code === grpc.status.UNAVAILABLE ||
    code === grpc.status.CANCELLED ||
    code === grpc.status.UNKNOWN ||
    /protocol error|connection|RST_STREAM|GOAWAY|stream/i.test(detail);
  if (transportBroken) {
    const exit = proc.exited ?? (await Promise.race([proc.waitForExit(), delay(EXIT_GRACE_MS)]));
    if (exit) {
      return make(
        "CIG_PLUGIN_CRASHED",
        `plugin ${name} crashed during ${rpc} (${describeExit(exit)})`,
        "This is a bug in the plugin; its last stderr lines are shown above. Report it to the plugin's author.",
        { exitCode: exit.code, signal: exit.signal },
      );
    }
    return make(
      "CIG_PLUGIN_STDOUT_GARBAGE",
      `plugin ${name} broke the gRPC stream during ${rpc} (${detail}); it is probably printing to stdout`,
      "stdout is the gRPC channel: a plugin must log to stderr only (the cig SDKs redirect console output for you).",
    );
  }
  return make(
    "CIG_PLUGIN_HOOK_FAILED",
    `plugin ${name} failed in ${rpc}: ${detail}`,
    "The plugin reported an internal error (a bug in the plugin). Problems with your input would arrive as diagnostics instead.",
  );
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
