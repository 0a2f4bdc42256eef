import type { DescMessage, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { create, fromBinary } from "@bufbuild/protobuf";
import { InfoRequestSchema, pluginServiceDefinition } from "@cig/proto";
import * as grpc from "@grpc/grpc-js";
import type { CigError } from "../errors/cig-error.js";
import { mapCallError } from "./call-errors.js";
import type { PluginProcess } from "./plugin-process.js";
import { encodeRequest } from "./shared-encoding.js";

/** The RPCs of cig.plugin.v1.PluginService by their local names. */
export type RpcName = "info" | "detect" | "plan" | "generate" | "validate" | "preflight" | "shutdown";

/** Per-hook deadlines in milliseconds. */
export type HookTimeouts = Record<RpcName, number>;

/** Defaults chosen for real repositories on a slow CI runner; tests shorten them. */
export const DEFAULT_TIMEOUTS: HookTimeouts = {
  info: 10_000,
  detect: 30_000,
  plan: 60_000,
  generate: 120_000,
  validate: 60_000,
  preflight: 30_000,
  shutdown: 2_000,
};

/**
 * Calls one plugin's RPCs with deadlines, turning every failure into a
 * CigError that names the plugin and the hook.
 */
export class PluginRpc {
  private readonly inFlight = new Set<grpc.Call>();

  constructor(
    private readonly proc: PluginProcess,
    private readonly timeouts: HookTimeouts,
    /** Called with each call failure, before it is thrown (the host kills broken plugins). */
    private readonly onFailure: (err: CigError) => Promise<void> = async () => {},
  ) {
    // A dead process answers nothing, but HTTP/2 does not always notice at
    // once: fail pending calls as soon as the process is gone.
    void proc.waitForExit().then(() => {
      for (const call of this.inFlight) call.cancel();
    });
  }

  private track<C extends grpc.Call>(call: C): C {
    this.inFlight.add(call);
    call.on("status", () => this.inFlight.delete(call));
    return call;
  }

  /**
   * One unary call; `output` types (and decodes) the reply. A `request` that
   * is already a message is encoded once for all the plugins it goes to (see
   * {@link encodeRequest}), so it must not change between those calls.
   */
  async unary<I extends DescMessage, O extends DescMessage>(
    rpc: Exclude<RpcName, "generate">,
    input: I,
    output: O,
    request: MessageInitShape<I>,
    timeoutMs = this.timeouts[rpc],
  ): Promise<MessageShape<O>> {
    const method = pluginServiceDefinition[rpc];
    if (!method) throw new Error(`unknown rpc ${rpc}`);
    const msg = create(input, request);
    try {
      return await new Promise<MessageShape<O>>((resolve, reject) => {
        const call = this.proc.client.makeUnaryRequest(
          method.path,
          (m: MessageShape<I>) => encodeRequest(input, m),
          (bytes: Buffer) => fromBinary(output, bytes),
          msg,
          new grpc.Metadata(),
          { deadline: Date.now() + timeoutMs },
          (err, value) => (err || value === undefined ? reject(err) : resolve(value)),
        );
        this.track(call);
        if (this.proc.exited) call.cancel();
      });
    } catch (err) {
      throw await this.fail(rpc, err, timeoutMs);
    }
  }

  /** A server-streaming call, collected into an array of responses. */
  async stream<I extends DescMessage, O extends DescMessage>(
    rpc: "generate",
    input: I,
    output: O,
    request: MessageInitShape<I>,
    timeoutMs = this.timeouts[rpc],
  ): Promise<MessageShape<O>[]> {
    const method = pluginServiceDefinition[rpc];
    if (!method) throw new Error(`unknown rpc ${rpc}`);
    const out: MessageShape<O>[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const call = this.track(
          this.proc.client.makeServerStreamRequest(
            method.path,
            (m: MessageShape<I>) => encodeRequest(input, m),
            (bytes: Buffer) => fromBinary(output, bytes),
            create(input, request),
            new grpc.Metadata(),
            { deadline: Date.now() + timeoutMs },
          ),
        );
        if (this.proc.exited) call.cancel();
        call.on("data", (m: MessageShape<O>) => out.push(m));
        call.on("error", reject);
        // "status" (not "end") marks success: it arrives only after the trailers.
        call.on("status", (status: grpc.StatusObject) => {
          if (status.code === grpc.status.OK) resolve();
        });
      });
    } catch (err) {
      throw await this.fail(rpc, err, timeoutMs);
    }
    return out;
  }

  /** True when the plugin answers Info within a second: its link is alive. */
  private probe(): Promise<boolean> {
    const method = pluginServiceDefinition.info;
    if (!method) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.proc.client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        create(InfoRequestSchema, {}),
        new grpc.Metadata(),
        { deadline: Date.now() + 1000 },
        (err) => resolve(!err),
      );
    });
  }

  private async fail(rpc: RpcName, err: unknown, timeoutMs: number): Promise<CigError> {
    const mapped = await mapCallError(this.proc, rpc, err, timeoutMs, () => this.probe());
    await this.onFailure(mapped);
    return mapped;
  }
}
