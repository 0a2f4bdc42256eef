import { Diagnostic_Level } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateValid, harness } from "./generate-valid.js";
import { job, request, run, uses } from "./request-builders.js";

const loc = { path: "cig.toml", line: 12, column: 1 };

describe("provider/circleci: diagnostics", () => {
  it("reports unknown tools, caches, modules, axes and needs, empty steps and run-only fields, with resource and location", async () => {
    const { res, cfg } = await generateValid(
      request([
        job("a", {
          loc,
          needs: ["job:ghost"],
          steps: [
            { action: { case: "setupTool", value: { tool: "cobol", version: "85" } } },
            { action: { case: "cache", value: { name: "nope" } }, env: { A: "1" } },
            uses("lang/ruby@~1.2"),
            {},
            run("echo {{ matrix.os }}"),
          ],
        }),
      ]),
    );
    expect(res.diagnostics.map((d) => d.code).sort()).toEqual([
      "PROVIDER_CIRCLECI_EMPTY_STEP",
      "PROVIDER_CIRCLECI_UNKNOWN_CACHE",
      "PROVIDER_CIRCLECI_UNKNOWN_MATRIX_AXIS",
      "PROVIDER_CIRCLECI_UNKNOWN_NEED",
      "PROVIDER_CIRCLECI_UNKNOWN_TOOL",
      "PROVIDER_CIRCLECI_UNRESOLVED_MODULE",
    ]);
    for (const d of res.diagnostics) {
      expect(d).toMatchObject({ resourceId: "job:a", loc: { line: 12 } });
      expect(d.title).not.toBe("");
      expect(d.fixHint).not.toBe("");
    }
    expect(res.diagnostics.find((d) => d.code === "PROVIDER_CIRCLECI_UNKNOWN_NEED")?.level).toBe(Diagnostic_Level.ERROR);
    expect(cfg.jobs.a.steps).toEqual(["checkout", { run: { command: "echo {{ matrix.os }}" } }]);
  });

  it("warns about a second language the image lacks, and env on a non-run step", async () => {
    const { codes } = await generateValid(
      request([
        job("a", {
          caches: [],
          steps: [
            { action: { case: "setupTool", value: { tool: "ruby", version: "3.3" } } },
            { action: { case: "setupTool", value: { tool: "python", version: "3.12" } }, env: { X: "1" } },
          ],
        }),
      ]),
    );
    expect(codes).toEqual(["PROVIDER_CIRCLECI_TOOL_NOT_IN_IMAGE", "PROVIDER_CIRCLECI_RUN_ONLY_FIELD"]);
  });

  it("reports services on a machine executor and leaves them out", async () => {
    const { cfg, codes } = await generateValid(
      request([
        job("a", {
          runner: { name: "vm", providers: { circleci: { machine: { image: "ubuntu-2204:current" } } } },
          services: [{ name: "redis", image: "redis:7" }],
          steps: [run("make")],
        }),
      ]),
    );
    expect(codes).toEqual(["PROVIDER_CIRCLECI_SERVICES_NEED_DOCKER"]);
    expect(cfg.jobs.a.docker).toBeUndefined();
  });

  it("reports each problem of variants sharing a definition once", async () => {
    const graph = ["3.2", "3.3"].map((ruby) =>
      job(`t-ruby${ruby}`, { jobId: "t", matrix: { ruby }, steps: [uses("actions/upload-artifact@v4")] }),
    );
    const res = await harness.generate(request(graph));
    expect(res.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_CIRCLECI_FOREIGN_STEP"]);
  });

  it("advertises itself as provider/circleci", () => {
    expect(harness.info()).toMatchObject({ name: "provider/circleci", version: "0.1.0", capabilities: ["provider:circleci"] });
  });
});
