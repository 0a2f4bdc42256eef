import { create, equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import { DetectRequestSchema, GenerateRequestSchema, Resource_Kind, ResourceSchema, ValidateRequestSchema } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { encodeRequest } from "../src/plugin-host/shared-encoding.js";

describe("encodeRequest", () => {
  const resources = [0, 1, 2].map((n) =>
    create(ResourceSchema, {
      id: `job:t${n}`,
      kind: Resource_Kind.JOB,
      owner: "cig",
      spec: {
        case: "job",
        value: { jobId: "t", matrix: { n: `${n}` }, steps: [{ name: `s${n}`, action: { case: "run", value: { command: "make" } } }] },
      },
    }),
  );
  const schema = create(GenerateRequestSchema, { schema: { version: "0.2", jobs: [{ id: "t", packages: ["node"] }] } }).schema;

  it("decodes to exactly the request; shared parts are written from their own encodings", () => {
    const gen = create(GenerateRequestSchema, {
      target: "github",
      graph: resources,
      schema,
      facts: { a: "1" },
      outputs: [{ provider: "github", path: "x.yml" }],
    });
    const genBytes = encodeRequest(GenerateRequestSchema, gen);
    expect(equals(GenerateRequestSchema, fromBinary(GenerateRequestSchema, genBytes), gen)).toBe(true);
    expect(genBytes.length).toBe(toBinary(GenerateRequestSchema, gen).length);

    // The same resources in another request (another field number) still decode right.
    const val = create(ValidateRequestSchema, { rendered: [{ path: "x.yml", content: "jobs: {}" }], graph: resources, schema });
    const valBytes = encodeRequest(ValidateRequestSchema, val);
    expect(equals(ValidateRequestSchema, fromBinary(ValidateRequestSchema, valBytes), val)).toBe(true);
  });

  it("returns the same bytes for the same message object, and plain encodings for requests without shared fields", () => {
    const detect = create(DetectRequestSchema, { repo: { files: [{ path: "a" }] } });
    const a = encodeRequest(DetectRequestSchema, detect);
    expect(encodeRequest(DetectRequestSchema, detect)).toBe(a);
    expect(Buffer.compare(a, Buffer.from(toBinary(DetectRequestSchema, detect)))).toBe(0);
  });
});
