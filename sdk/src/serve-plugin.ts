import { writeSync } from "node:fs";
import { Socket } from "node:net";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { type GenerateRequest, type InfoRequest, pluginServiceDefinition, ShutdownResponseSchema, type ValidateRequest } from "@cig/proto";
import * as grpc from "@grpc/grpc-js";
import type { HookContext, PluginDefinition } from "./define-plugin.js";
import { type CoreOffer, handshakeLine, NOT_FROM_CORE_MESSAGE, negotiateProtocol, readCoreOffer } from "./handshake.js";
import { expandJobTemplates } from "./job-templates.js";
import { createLogger, logLevelFromEnv, type PluginLogger, routeStdoutToStderr } from "./logger.js";
import { infoResponse, isAsyncIterable, responseSchemas } from "./plugin-hooks.js";

/** Options for {@link servePlugin}; the defaults are what production plugins want. */
export interface ServeOptions {
  /** Force a transport; by default "stdio" (fd 0), the only one Node needs. */
  transport?: "stdio" | "unix";
  /** Largest message accepted or sent, bytes. Default 64 MiB. */
  maxMessageBytes?: number;
}

type UnaryHook = "detect" | "plan" | "validate" | "preflight";

/**
 * Serves `def` to the cig core over gRPC on the inherited stdio socket and
 * never returns. Run by hand (no magic cookie), prints a friendly message and
 * exits 1. The process exits when the core sends Shutdown or closes fd 0.
 */
export function servePlugin(def: PluginDefinition, options: ServeOptions = {}): void {
  const offer = readCoreOffer(process.env);
  if (!offer) {
    process.stderr.write(NOT_FROM_CORE_MESSAGE);
    process.exit(1);
  }
  routeStdoutToStderr();
  const log = createLogger(logLevelFromEnv(process.env.CIG_LOG_LEVEL));
  const protocol = negotiateProtocol(offer);
  if (!offer.protocols.includes(protocol)) {
    log.error("no protocol version in common with the core", { core: offer.protocols, plugin: protocol });
  }
  process.on("uncaughtException", (err) => {
    // The core shows these lines when the plugin dies.
    process.stderr.write(`panic: uncaught exception: ${err.stack ?? String(err)}\n`);
    process.exit(70);
  });

  const maxBytes = options.maxMessageBytes ?? 64 * 1024 * 1024;
  const server = new grpc.Server({
    "grpc.max_receive_message_length": maxBytes,
    "grpc.max_send_message_length": maxBytes,
    "grpc.enable_channelz": 0,
  });
  const exit = (code: number) => {
    server.forceShutdown();
    process.exit(code);
  };
  server.addService(pluginServiceDefinition, serviceHandlers(def, log, protocol, offer, exit));

  const transport = options.transport ?? "stdio";
  if (transport === "stdio") {
    // fd 0 and fd 1 are one unix socket whose other end is the core's client.
    const conn = new Socket({ fd: 0, readable: true, writable: true });
    conn.on("close", () => exit(0));
    conn.on("error", () => exit(0));
    server.createConnectionInjector(grpc.ServerCredentials.createInsecure()).injectConnection(conn);
    writeHandshake(offer, handshakeLine(protocol, "stdio", "fd:0"));
    return;
  }
  if (!offer.unixDir) throw new Error("unix transport needs CIG_PLUGIN_UNIX_DIR from the core");
  const path = join(offer.unixDir, `p${process.pid}.sock`);
  server.bindAsync(`unix:${path}`, grpc.ServerCredentials.createInsecure(), (err) => {
    if (err) {
      log.error("cannot listen on unix socket", { path, error: err.message });
      exit(1);
      return;
    }
    // fd 0 stays the lifeline: EOF means the core is gone.
    new Socket({ fd: 0, readable: true, writable: false })
      .on("data", () => {})
      .on("close", () => exit(0))
      .on("error", () => exit(0));
    writeHandshake(offer, handshakeLine(protocol, "unix", path));
  });
}

function writeHandshake(offer: CoreOffer, line: string): void {
  writeSync(offer.handshakeFd, line);
}

function serviceHandlers(
  def: PluginDefinition,
  log: PluginLogger,
  protocol: number,
  offer: CoreOffer,
  exit: (code: number) => void,
): grpc.UntypedServiceImplementation {
  // grpc-js emits "cancelled" after every call, even a finished one: build
  // the AbortController (and the DOMException abort() makes) only for
  // handlers that read ctx.signal.
  const context = (call: { on(event: "cancelled", cb: () => void): unknown }): HookContext => {
    let ac: AbortController | undefined;
    let cancelled = false;
    call.on("cancelled", () => {
      cancelled = true;
      ac?.abort();
    });
    return {
      log,
      protocol,
      coreVersion: offer.coreVersion,
      get signal() {
        ac ??= new AbortController();
        if (cancelled) ac.abort();
        return ac.signal;
      },
    };
  };
  const unary =
    (hook: UnaryHook): grpc.handleUnaryCall<unknown, unknown> =>
    (call, callback) => {
      const handler = def[hook] as ((req: unknown, ctx: HookContext) => unknown) | undefined;
      if (!handler) {
        callback({ code: grpc.status.UNIMPLEMENTED, details: `${def.info.name} does not implement ${hook}` });
        return;
      }
      if (hook === "validate") expandJobTemplates(call.request as ValidateRequest);
      Promise.resolve()
        .then(() => handler.call(def, call.request, context(call)))
        .then(
          (reply) => callback(null, create(responseSchemas[hook], reply as never)),
          (err: unknown) => callback(hookFailure(log, hook, err)),
        );
    };
  const generate: grpc.handleServerStreamingCall<GenerateRequest, unknown> = (call) => {
    if (!def.generate) {
      call.emit("error", { code: grpc.status.UNIMPLEMENTED, details: `${def.info.name} does not implement generate` });
      return;
    }
    const handler = def.generate;
    expandJobTemplates(call.request);
    (async () => {
      const result = await handler.call(def, call.request, context(call));
      const replies = isAsyncIterable(result) ? result : [result];
      for await (const reply of replies) {
        if (call.cancelled) return;
        const msg = create(responseSchemas.generate, reply as never);
        if (!call.write(msg)) await new Promise((resolve) => call.once("drain", resolve));
      }
      call.end();
    })().catch((err: unknown) => call.emit("error", hookFailure(log, "generate", err)));
  };
  return {
    info: ((call, callback) => callback(null, infoResponse(def, call.request, protocol))) as grpc.handleUnaryCall<InfoRequest, unknown>,
    detect: unary("detect"),
    plan: unary("plan"),
    generate,
    validate: unary("validate"),
    preflight: unary("preflight"),
    shutdown: ((_call, callback) => {
      callback(null, create(ShutdownResponseSchema));
      // Let the reply flush before the process goes.
      setTimeout(() => exit(0), 20).unref();
    }) as grpc.handleUnaryCall<unknown, unknown>,
  };
}

function hookFailure(log: PluginLogger, hook: string, err: unknown): grpc.ServiceError {
  const message = err instanceof Error ? err.message : String(err);
  log.error(`${hook} failed`, { error: message, stack: err instanceof Error ? err.stack : undefined });
  return Object.assign(new Error(message), {
    code: grpc.status.INTERNAL,
    details: `${hook} threw: ${message}`,
    metadata: new grpc.Metadata(),
  });
}
