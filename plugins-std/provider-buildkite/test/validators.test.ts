import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MergeStrategy } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { harness } from "./generate-valid.js";
import { job, request, run } from "./request-builders.js";
import { assertValidatorsAlive, PIPELINE_SCHEMA_URL, validateBuildkite } from "./validate-buildkite.js";

describe("the Buildkite validator and the validate hook", () => {
  it("finds the schema in the repository and proves it rejects broken pipelines", async () => {
    expect(existsSync(fileURLToPath(PIPELINE_SCHEMA_URL))).toBe(true);
    await expect(assertValidatorsAlive()).resolves.toBeUndefined();
  });

  it("accepts a minimal pipeline and reports invalid YAML and bad keys", async () => {
    expect(await validateBuildkite("steps:\n  - command: make\n")).toEqual([]);
    expect((await validateBuildkite("steps: [")).map((p) => p.validator)).toEqual(["yaml"]);
    expect((await validateBuildkite("steps:\n  - key: a b\n    command: make\n")).map((p) => p.validator)).toContain("json-schema");
  });

  it("validate reports invalid YAML and unpinned plugins in .buildkite files only", async () => {
    const gen = await harness.generate(request([job("a", { steps: [run("true")] })]));
    const ok = await harness.validate({ rendered: gen.fragments });
    expect(ok.diagnostics).toEqual([]);
    const res = await harness.validate({
      rendered: [
        {
          path: ".buildkite/pipeline.yml",
          content: "steps:\n  - command: x\n    plugins:\n      - docker#v5: {image: a}\n      - cache#v1.10.0: {path: x}\n",
          strategy: MergeStrategy.REPLACE,
        },
        { path: ".buildkite/other.yml", content: "steps: [", strategy: MergeStrategy.REPLACE },
        { path: "README.yml", content: "steps: [", strategy: MergeStrategy.REPLACE },
      ],
    });
    expect(res.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_BUILDKITE_UNPINNED_PLUGIN", "PROVIDER_BUILDKITE_INVALID_YAML"]);
  });

  it("advertises itself as provider/buildkite", () => {
    expect(harness.info()).toMatchObject({ name: "provider/buildkite", version: "0.1.0", capabilities: ["provider:buildkite"] });
  });
});
