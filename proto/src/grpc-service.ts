import { type DescMessage, type DescService, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";
import { PluginService } from "../gen/ts/cig/plugin/v1/plugin_pb.js";

/**
 * Builds a grpc-js service definition from a protobuf-es service descriptor,
 * so that grpc-js carries protobuf-es messages with no second codegen.
 * Deserialisation errors propagate to grpc-js, which reports them as INTERNAL.
 */
export function grpcServiceDefinition(service: DescService): ServiceDefinition {
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) {
    definition[method.localName] = {
      path: `/${service.typeName}/${method.name}`,
      requestStream: method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming",
      responseStream: method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming",
      originalName: method.name,
      requestSerialize: serializer(method.input),
      requestDeserialize: deserializer(method.input),
      responseSerialize: serializer(method.output),
      responseDeserialize: deserializer(method.output),
    };
  }
  return definition;
}

function serializer<D extends DescMessage>(desc: D): (value: unknown) => Buffer {
  return (value) => {
    const bytes = toBinary(desc, value as MessageShape<D>);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

function deserializer<D extends DescMessage>(desc: D): (bytes: Buffer) => MessageShape<D> {
  return (bytes) => fromBinary(desc, bytes);
}

/** The grpc-js definition of `cig.plugin.v1.PluginService`. */
export const pluginServiceDefinition: ServiceDefinition = grpcServiceDefinition(PluginService);
