import { create } from "@bufbuild/protobuf";
import { GenerateRequestSchema, Resource_Kind } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateRequestBuilders, variantName } from "../src/index.js";

describe("generateRequestBuilders", () => {
  const runner = { name: "linux", providers: { acme: { queue: "linux" } } };
  const b = generateRequestBuilders({ target: "acme", runner });

  it("names variants as the core does: a key prefix for values starting with a digit or empty", () => {
    expect(variantName("test", { ruby: "3.2", arch: "amd64" })).toBe("test-ruby3.2-amd64");
    expect(variantName("test", { os: "mac os", flag: "" })).toBe("test-mac os-flag");
    expect(variantName("test", {})).toBe("test");
    expect(b.variants("test", [{ ruby: "3.2" }, { ruby: "3.3" }]).map((r) => r.id)).toEqual(["job:test-ruby3.2", "job:test-ruby3.3"]);
  });

  it("builds jobs on the default runner unless the spec names one, and none without a default", () => {
    const job = b.job("a", { steps: [b.run("make")] });
    expect(job).toMatchObject({ id: "job:a", kind: Resource_Kind.JOB, spec: { case: "job", value: { jobId: "a", runner } } });
    expect(b.job("b", { runner: { name: "mac" } }).spec).toMatchObject({ value: { runner: { name: "mac" } } });
    const bare = generateRequestBuilders({ target: "acme" }).job("c");
    expect(bare.spec?.case === "job" && "runner" in bare.spec.value).toBe(false);
  });

  it("builds requests that protobuf accepts, with typed uses inputs", () => {
    const req = create(
      GenerateRequestSchema,
      b.request([b.job("a", { steps: [b.uses("x/y@v1", { s: "1", n: 2, t: true }), b.setup("node", "20", "pnpm")] })], { caches: [] }),
    );
    expect(req.target).toBe("acme");
    expect(req.schema?.project?.name).toBe("demo");
    const steps = req.graph[0]?.spec.case === "job" ? req.graph[0].spec.value.steps : [];
    const uses = steps[0]?.action.case === "uses" ? steps[0].action.value.with : {};
    expect(Object.fromEntries(Object.entries(uses).map(([k, v]) => [k, v.kind.case]))).toEqual({
      s: "stringValue",
      n: "numberValue",
      t: "boolValue",
    });
    expect(steps[1]?.action).toMatchObject({ case: "setupTool", value: { tool: "node", version: "20", cache: "pnpm" } });
  });
});
