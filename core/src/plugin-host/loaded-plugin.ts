import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  DetectRequestSchema,
  type DetectResponse,
  DetectResponseSchema,
  GenerateRequestSchema,
  type GenerateResponse,
  GenerateResponseSchema,
  InfoRequestSchema,
  type InfoResponse,
  InfoResponseSchema,
  PlanRequestSchema,
  type PlanResponse,
  PlanResponseSchema,
  type PluginInfo,
  PreflightRequestSchema,
  type PreflightResponse,
  PreflightResponseSchema,
  ValidateRequestSchema,
  type ValidateResponse,
  ValidateResponseSchema,
} from "@cig/proto";
import type { PluginRpc } from "./plugin-client.js";
import type { PluginCommand, PluginProcess } from "./plugin-process.js";

/** A started plugin: its process, its Info, and typed hook calls. */
export class LoadedPlugin {
  constructor(
    readonly command: PluginCommand,
    readonly process: PluginProcess,
    readonly rpc: PluginRpc,
    readonly info: PluginInfo,
  ) {}

  get name(): string {
    return this.info.name;
  }

  /** Calls Info again: a cheap health check of the link. */
  ping(): Promise<InfoResponse> {
    return this.rpc.unary("info", InfoRequestSchema, InfoResponseSchema, { coreProtocol: this.info.protocol });
  }

  detect(req: MessageInitShape<typeof DetectRequestSchema>): Promise<DetectResponse> {
    return this.rpc.unary("detect", DetectRequestSchema, DetectResponseSchema, req);
  }

  plan(req: MessageInitShape<typeof PlanRequestSchema>): Promise<PlanResponse> {
    return this.rpc.unary("plan", PlanRequestSchema, PlanResponseSchema, req);
  }

  /** The streamed responses of one generate call, in order. */
  generate(req: MessageInitShape<typeof GenerateRequestSchema>): Promise<GenerateResponse[]> {
    return this.rpc.stream("generate", GenerateRequestSchema, GenerateResponseSchema, req);
  }

  validate(req: MessageInitShape<typeof ValidateRequestSchema>): Promise<ValidateResponse> {
    return this.rpc.unary("validate", ValidateRequestSchema, ValidateResponseSchema, req);
  }

  preflight(req: MessageInitShape<typeof PreflightRequestSchema>): Promise<PreflightResponse> {
    return this.rpc.unary("preflight", PreflightRequestSchema, PreflightResponseSchema, req);
  }
}
