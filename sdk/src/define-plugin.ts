import type { DescMessage, MessageInitShape } from "@bufbuild/protobuf";
import type {
  DetectRequest,
  DetectResponseSchema,
  GenerateRequest,
  GenerateResponseSchema,
  PlanRequest,
  PlanResponseSchema,
  PreflightRequest,
  PreflightResponseSchema,
  ValidateRequest,
  ValidateResponseSchema,
} from "@cig/proto";
import type { PluginLogger } from "./logger.js";

/** What a hook handler gets besides its request. */
export interface HookContext {
  log: PluginLogger;
  /** Aborted when the core cancels the call or its deadline passes. */
  signal: AbortSignal;
  /** The protocol negotiated in the handshake. */
  protocol: number;
  /** The core's semantic version. */
  coreVersion: string;
}

type Awaitable<T> = T | Promise<T>;
/** A response as a plain object; omitted fields take their defaults. */
export type Reply<S extends DescMessage> = MessageInitShape<S>;

/** Static facts about a plugin, returned from Info. */
export interface PluginMeta {
  /** "namespace/name", e.g. "lang/node". */
  name: string;
  /** Semantic version. */
  version: string;
  description?: string;
  capabilities?: string[];
  requires?: string[];
  conflictsWith?: string[];
  metadata?: Record<string, string>;
  /** Globs of files whose content the core inlines in DetectRequest. */
  detectPatterns?: string[];
  /**
   * Protocol features this plugin opts in to beyond the SDK's own
   * (`graph-templates`, always on), e.g. {@link VALIDATE_WITHOUT_GRAPH} for a
   * validate hook that reads only `rendered` and `schema`.
   */
  features?: string[];
}

/**
 * A plugin: its metadata and the hooks it implements. Hooks left out are
 * not advertised and answer UNIMPLEMENTED if called anyway.
 */
export interface PluginDefinition {
  info: PluginMeta;
  detect?(req: DetectRequest, ctx: HookContext): Awaitable<Reply<typeof DetectResponseSchema>>;
  plan?(req: PlanRequest, ctx: HookContext): Awaitable<Reply<typeof PlanResponseSchema>>;
  /** Return one response, or yield several to stream a large output. */
  generate?(
    req: GenerateRequest,
    ctx: HookContext,
  ): Awaitable<Reply<typeof GenerateResponseSchema>> | AsyncIterable<Reply<typeof GenerateResponseSchema>>;
  validate?(req: ValidateRequest, ctx: HookContext): Awaitable<Reply<typeof ValidateResponseSchema>>;
  preflight?(req: PreflightRequest, ctx: HookContext): Awaitable<Reply<typeof PreflightResponseSchema>>;
}

/** Identity helper that gives a plugin definition its types. */
export function definePlugin(definition: PluginDefinition): PluginDefinition {
  return definition;
}
