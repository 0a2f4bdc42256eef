import type { DescMessage, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { create } from "@bufbuild/protobuf";
import { pluginServiceDefinition } from "@cig/proto";
import * as grpc from "@grpc/grpc-js";
import type { CigError } from "../errors/cig-error.js";
import { mapCallError } from "./call-errors.js";
import type { PluginProcess } from "./plugin-process.js";

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
  constructor(
    private readonly proc: PluginProcess,
    private readonly timeouts: HookTimeouts,
    /** Called with each call failure, before it is thrown (the host kills broken plugins). */
    private readonly onFailure: (err: CigError) => Promise<void> = async () => {},
  ) {}

  /** One unary call. */
  async unary<I extends DescMessage, O extends DescMessage>(
    rpc: Exclude<RpcName, "generate">,
    input: I,
    request: MessageInitShape<I>,
    timeoutMs = this.timeouts[rpc],
  ): Promise<MessageShape<O>> {
    const method = pluginServiceDefinition[rpc];
    if (!method) throw new Error(`unknown rpc ${rpc}`);
    const msg = create(input, request);
    try {
      return await new Promise<MessageShape<O>>((resolve, reject) => {
        this.proc.client.makeUnaryRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize as (b: Buffer) => MessageShape<O>,
          msg,
          new grpc.Metadata(),
          { deadline: Date.now() + timeoutMs },
          (err, value) => (err || value === undefined ? reject(err) : resolve(value)),
        );
      });
    } catch (err) {
      throw await this.fail(rpc, err, timeoutMs);
    }
  }

  /** A server-streaming call, collected into an array of responses. */
  async stream<I extends DescMessage, O extends DescMessage>(
    rpc: "generate",
    input: I,
    request: MessageInitShape<I>,
    timeoutMs = this.timeouts[rpc],
  ): Promise<MessageShape<O>[]> {
    const method = pluginServiceDefinition[rpc];
    if (!method) throw new Error(`unknown rpc ${rpc}`);
    const out: MessageShape<O>[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const call = this.proc.client.makeServerStreamRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize as (b: Buffer) => MessageShape<O>,
          create(input, request),
          new grpc.Metadata(),
          { deadline: Date.now() + timeoutMs },
        );
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

  private async fail(rpc: RpcName, err: unknown, timeoutMs: number): Promise<CigError> {
    const mapped = await mapCallError(this.proc, rpc, err, timeoutMs);
    await this.onFailure(mapped);
    return mapped;
  }
}
