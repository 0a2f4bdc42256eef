/**
 * The cig plugin protocol, version 1: generated message types and schemas
 * (protobuf-es) and the grpc-js service definition built from them.
 */
export * from "../gen/ts/cig/plugin/v1/diagnostic_pb.js";
export * from "../gen/ts/cig/plugin/v1/fragment_pb.js";
export * from "../gen/ts/cig/plugin/v1/plugin_pb.js";
export * from "../gen/ts/cig/plugin/v1/repo_pb.js";
export * from "../gen/ts/cig/plugin/v1/resource_pb.js";
export * from "../gen/ts/cig/plugin/v1/schema_pb.js";
export { grpcServiceDefinition, pluginServiceDefinition } from "./grpc-service.js";

/** The protocol versions this build of cig speaks, newest first. */
export const SUPPORTED_PROTOCOLS: readonly number[] = [1];

/** The value the core puts in CIG_PLUGIN_MAGIC_COOKIE; plugins refuse to serve without it. */
export const MAGIC_COOKIE_KEY = "CIG_PLUGIN_MAGIC_COOKIE";
export const MAGIC_COOKIE_VALUE = "d7c1f0e2-cig-plugin-v1-3b9a6e54";
