/**
 * @cig/core: the plugin host, its errors, and (from later issues) the
 * pipeline. The CLI lives in ./cli and is not part of this API.
 */
export * from "./config/index.js";
export type { ErrorDetails } from "./errors/cig-error.js";
export { CigError, isCigError } from "./errors/cig-error.js";
export type { ErrorCode } from "./errors/error-codes.js";
export { ERROR_CODES, exitCodeFor } from "./errors/error-codes.js";
export type { JobGraph, Locator } from "./graph/index.js";
export { buildJobGraph, interpolate, substituteMatrix } from "./graph/index.js";
export type { LogEntry, LogLevel, LogSink } from "./logger.js";
export type { MergedFile } from "./output/merge-fragments.js";
export { mergeFragments } from "./output/merge-fragments.js";
export type { OutputChange } from "./output/plan-outputs.js";
export type { PipelineEvent, PipelineOptions, PipelineResult } from "./pipeline/pipeline-types.js";
export { runPipeline } from "./pipeline/run-pipeline.js";
export type { CapabilityOwner } from "./plugin-host/capability-registry.js";
export { CapabilityRegistry, capabilityMatches } from "./plugin-host/capability-registry.js";
export type { Handshake } from "./plugin-host/handshake-line.js";
export { parseHandshakeLine } from "./plugin-host/handshake-line.js";
export { LoadedPlugin } from "./plugin-host/loaded-plugin.js";
export type { HookTimeouts, RpcName } from "./plugin-host/plugin-client.js";
export { DEFAULT_TIMEOUTS } from "./plugin-host/plugin-client.js";
export { ENV_ALLOW_LIST } from "./plugin-host/plugin-env.js";
export type { HostOptions } from "./plugin-host/plugin-host.js";
export { PluginHost } from "./plugin-host/plugin-host.js";
export type { ExitInfo, PluginCommand } from "./plugin-host/plugin-process.js";
export { PluginProcess } from "./plugin-host/plugin-process.js";
export { CORE_VERSION } from "./version.js";
