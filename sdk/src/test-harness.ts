import { create, type DescMessage, fromBinary, type MessageInitShape, type MessageShape, toBinary } from "@bufbuild/protobuf";
import {
  DetectRequestSchema,
  type DetectResponse,
  DetectResponseSchema,
  GenerateRequestSchema,
  type GenerateResponse,
  GenerateResponseSchema,
  InfoRequestSchema,
  PlanRequestSchema,
  type PlanResponse,
  PlanResponseSchema,
  type PluginInfo,
  PreflightRequestSchema,
  type PreflightResponse,
  PreflightResponseSchema,
  SUPPORTED_PROTOCOLS,
  type ValidateRequest,
  ValidateRequestSchema,
  type ValidateResponse,
  ValidateResponseSchema,
} from "@cig/proto";
import type { HookContext, PluginDefinition } from "./define-plugin.js";
import { expandJobTemplates } from "./job-templates.js";
import { createLogger, type LogLevel } from "./logger.js";
import { infoResponse, isAsyncIterable } from "./plugin-hooks.js";

/**
 * Calls a plugin definition's hooks in-process, with every request and reply
 * round-tripped through protobuf binary exactly as on the wire: a unit test
 * sees what the core would see, without spawning anything.
 */
export interface TestHarness {
  info(): PluginInfo;
  detect(req?: MessageInitShape<typeof DetectRequestSchema>): Promise<DetectResponse>;
  plan(req?: MessageInitShape<typeof PlanRequestSchema>): Promise<PlanResponse>;
  /** Concatenates a streamed generate into one response. */
  generate(req?: MessageInitShape<typeof GenerateRequestSchema>): Promise<GenerateResponse>;
  validate(req?: MessageInitShape<typeof ValidateRequestSchema>): Promise<ValidateResponse>;
  preflight(req?: MessageInitShape<typeof PreflightRequestSchema>): Promise<PreflightResponse>;
  /** Log lines the hooks wrote, as parsed JSON objects. */
  logs: Array<{ level: LogLevel; msg: string } & Record<string, unknown>>;
}

/** Creates a {@link TestHarness} for `def`. */
export function createTestHarness(def: PluginDefinition): TestHarness {
  const logs: TestHarness["logs"] = [];
  const log = createLogger("debug", (line) => logs.push(JSON.parse(line)));
  const protocol = Math.max(...SUPPORTED_PROTOCOLS);
  const ctx = (): HookContext => ({ log, signal: new AbortController().signal, protocol, coreVersion: "0.0.0-test" });
  const missing = (hook: string) => new Error(`${def.info.name} does not implement ${hook}`);

  async function unary<I extends DescMessage, O extends DescMessage>(
    hook: "detect" | "plan" | "validate" | "preflight",
    inSchema: I,
    outSchema: O,
    init: MessageInitShape<I> | undefined,
  ): Promise<MessageShape<O>> {
    const handler = def[hook] as ((req: MessageShape<I>, c: HookContext) => unknown) | undefined;
    if (!handler) throw missing(hook);
    const req = wire(inSchema, create(inSchema, init));
    // As servePlugin does: hooks see whole job variants.
    if (hook === "validate") expandJobTemplates(req as unknown as ValidateRequest);
    const reply = await handler.call(def, req, ctx());
    return wire(outSchema, create(outSchema, reply as MessageInitShape<O>));
  }

  return {
    logs,
    info: () => {
      const res = infoResponse(def, create(InfoRequestSchema, { coreProtocol: protocol }), protocol);
      if (!res.info) throw new Error("info() returned no PluginInfo");
      return res.info;
    },
    detect: (req) => unary("detect", DetectRequestSchema, DetectResponseSchema, req),
    plan: (req) => unary("plan", PlanRequestSchema, PlanResponseSchema, req),
    validate: (req) => unary("validate", ValidateRequestSchema, ValidateResponseSchema, req),
    preflight: (req) => unary("preflight", PreflightRequestSchema, PreflightResponseSchema, req),
    generate: async (req) => {
      if (!def.generate) throw missing("generate");
      const request = wire(GenerateRequestSchema, create(GenerateRequestSchema, req));
      expandJobTemplates(request);
      const result = await def.generate(request, ctx());
      const out = create(GenerateResponseSchema);
      for await (const part of isAsyncIterable(result) ? result : [result]) {
        const msg = wire(GenerateResponseSchema, create(GenerateResponseSchema, part as never));
        out.fragments.push(...msg.fragments);
        out.diagnostics.push(...msg.diagnostics);
      }
      return out;
    },
  };
}

function wire<D extends DescMessage>(schema: D, msg: MessageShape<D>): MessageShape<D> {
  return fromBinary(schema, toBinary(schema, msg));
}
