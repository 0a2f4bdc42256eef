import type { DescField, DescMessage, Message, MessageShape } from "@bufbuild/protobuf";
import { toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { CigSchemaSchema, ResourceSchema } from "@cig/proto";

// The big parts of hook requests, sent again and again within one run: the
// parsed cig.toml (Plan, Generate, Validate) and the job graph's resources
// (Generate, Validate). Their encodings are kept per message object, so a
// 5,000-variant graph is encoded once, not once per request (~150 ms each).
// That is why requests and what they contain are read-only once sent.
const SHARED: ReadonlyMap<string, DescMessage> = new Map<string, DescMessage>([
  [CigSchemaSchema.typeName, CigSchemaSchema],
  [ResourceSchema.typeName, ResourceSchema],
]);
const parts = new WeakMap<object, Uint8Array>();
const requests = new WeakMap<object, Buffer>();

/**
 * The wire encoding of `msg`, computed once per message object. Fields
 * holding a shared message type (CigSchema, Resource) are written from
 * their own cached encodings; protobuf readers accept fields in any order,
 * so the bytes decode to exactly `msg`.
 */
export function encodeRequest<I extends DescMessage>(schema: I, msg: MessageShape<I>): Buffer {
  let bytes = requests.get(msg);
  if (!bytes) {
    bytes = encodeFresh(schema, msg);
    requests.set(msg, bytes);
  }
  return bytes;
}

function encodeFresh<I extends DescMessage>(schema: I, msg: MessageShape<I>): Buffer {
  const shared = schema.fields.filter((f) => f.message !== undefined && SHARED.has(f.message.typeName));
  if (shared.length === 0) return asBuffer(toBinary(schema, msg));
  const rest = { ...msg } as Record<string, unknown>;
  for (const f of shared) rest[f.localName] = f.fieldKind === "list" ? [] : undefined;
  const writer = new BinaryWriter();
  writer.raw(toBinary(schema, rest as MessageShape<I>));
  for (const f of shared) writeShared(writer, f, (msg as Record<string, unknown>)[f.localName]);
  return asBuffer(writer.finish());
}

function writeShared(writer: BinaryWriter, field: DescField, value: unknown): void {
  const type = field.message ? SHARED.get(field.message.typeName) : undefined;
  if (!type || value === undefined) return;
  for (const part of field.fieldKind === "list" ? (value as Message[]) : [value as Message]) {
    let bytes = parts.get(part);
    if (!bytes) {
      bytes = toBinary(type, part);
      parts.set(part, bytes);
    }
    writer.tag(field.number, WireType.LengthDelimited).bytes(bytes);
  }
}

function asBuffer(raw: Uint8Array): Buffer {
  return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}
