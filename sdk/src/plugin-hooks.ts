import { create } from "@bufbuild/protobuf";
import {
  DetectResponseSchema,
  GenerateResponseSchema,
  Hook,
  type InfoRequest,
  type InfoResponse,
  InfoResponseSchema,
  PlanResponseSchema,
  PreflightResponseSchema,
  ValidateResponseSchema,
} from "@cig/proto";
import type { PluginDefinition } from "./define-plugin.js";
import { GRAPH_TEMPLATES } from "./job-templates.js";

/** The hooks a definition implements, in protocol order. */
export function implementedHooks(def: PluginDefinition): Hook[] {
  const hooks: Hook[] = [];
  if (def.detect) hooks.push(Hook.DETECT);
  if (def.plan) hooks.push(Hook.PLAN);
  if (def.generate) hooks.push(Hook.GENERATE);
  if (def.validate) hooks.push(Hook.VALIDATE);
  if (def.preflight) hooks.push(Hook.PREFLIGHT);
  return hooks;
}

/** The Info reply for a definition at a negotiated protocol. */
export function infoResponse(def: PluginDefinition, _req: InfoRequest, protocol: number): InfoResponse {
  const m = def.info;
  return create(InfoResponseSchema, {
    info: {
      name: m.name,
      version: m.version,
      protocol,
      description: m.description ?? "",
      capabilities: m.capabilities ?? [],
      requires: m.requires ?? [],
      conflictsWith: m.conflictsWith ?? [],
      metadata: m.metadata ?? {},
      hooks: implementedHooks(def),
      detectPatterns: m.detectPatterns ?? [],
      // graph-templates is implemented here for every plugin: hooks always see whole job variants.
      features: [...new Set([GRAPH_TEMPLATES, ...(m.features ?? [])])].sort(),
    },
  });
}

/** Message schemas of each unary hook's response, for `create`. */
export const responseSchemas = {
  detect: DetectResponseSchema,
  plan: PlanResponseSchema,
  generate: GenerateResponseSchema,
  validate: ValidateResponseSchema,
  preflight: PreflightResponseSchema,
} as const;

/** True when a generate handler's result is a stream of responses. */
export function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}
