import { create } from "@bufbuild/protobuf";
import { JobResourceSchema, ResourceSchema } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { buildJobGraph } from "../../src/graph/index.js";
import { templateGraph } from "../../src/pipeline/job-templates.js";
import { definitionJson, variantsFromGraph } from "../../src/signatures/index.js";
import { schemaOf } from "../graph-fixtures.js";
import { FACTS, JOBS, run } from "./sign-fixture.js";

describe("definitionJson", () => {
  it("writes integer-like keys in UTF-8 byte order too (JSON.stringify would put them first)", () => {
    const job = create(JobResourceSchema, { jobId: "t", env: { a: "1", "10": "2", "9": "3", "01": "4" } });
    expect(definitionJson(job)).toBe('{"env":{"01":"4","10":"2","9":"3","a":"1"},"job_id":"t"}');
  });

  it("adds the run-wide context it is given, which changes the text only when set", () => {
    const job = create(JobResourceSchema, { jobId: "t" });
    expect(definitionJson(job, {})).toBe('{"job_id":"t"}');
    expect(definitionJson(job, { workflow_env: { CI: "1" } })).toBe('{"job_id":"t","workflow_env":{"CI":"1"}}');
  });

  it("drops every source location and the template id, keeps map keys named loc, sorts keys by UTF-8 bytes", () => {
    const job = create(JobResourceSchema, {
      jobId: "t",
      loc: { path: "cig.toml", line: 3 },
      template: "t",
      env: { loc: "kept", "\u{1f600}": "astral", "\u{e000}": "pua", B: "b" },
      steps: [
        {
          ...run("x"),
          loc: { path: "cig.toml", line: 4 },
          providerOverrides: [{ provider: "github", step: { ...run("y"), loc: { path: "cig.toml", line: 5 } } }],
        },
      ],
      passthrough: { github: { loc: "struct field" } },
    });
    expect(definitionJson(job)).toBe(
      '{"env":{"B":"b","loc":"kept","\u{e000}":"pua","\u{1f600}":"astral"},"job_id":"t","passthrough":{"github":{"loc":"struct field"}},' +
        '"steps":[{"provider_overrides":[{"provider":"github","step":{"run":{"command":"y"}}}],"run":{"command":"x"}}]}',
    );
  });

  it("gives a templated graph (as plugins receive it) the same variants as the whole graph", () => {
    const graph = buildJobGraph(schemaOf(JOBS), FACTS).jobs;
    const templated = templateGraph(graph);
    expect(templated.templates.length).toBeGreaterThan(0);
    const whole = variantsFromGraph(graph, FACTS);
    expect(variantsFromGraph(templated.graph, FACTS, { templates: templated.templates })).toEqual(whole);
    expect(whole.find((v) => v.id === "test-ruby3.2")).toMatchObject({
      job: "test",
      needs: ["build"],
      patterns: ["test/**", "gemfiles/3.2.gemfile"],
      tools: { ruby_version: "3.3.0" },
      skippable: true,
      neverSkip: false,
    });
    expect(whole.find((v) => v.id === "build")?.tools).toEqual({ node_version: "20.11.1", package_manager: "pnpm" });
    expect(whole.find((v) => v.id === "deploy")).toMatchObject({ patterns: [], skippable: false, neverSkip: true });
    const other = create(ResourceSchema, { id: "cache:x", spec: { case: "cache", value: {} } });
    expect(variantsFromGraph([other], FACTS)).toEqual([]);
  });
});
