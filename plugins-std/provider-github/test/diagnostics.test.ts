import { Diagnostic_Level, MergeStrategy } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateValid, harness } from "./generate-valid.js";
import { job, request, run, uses, variants } from "./request-builders.js";

const loc = { path: "cig.toml", line: 12, column: 1 };

describe("provider/github: diagnostics", () => {
  it("reports a runner without a github mapping, naming runner and job, once per GitHub job", async () => {
    const graph = variants("test", [{ ruby: "3.2" }, { ruby: "3.3" }], {
      runner: { name: "linux-xlarge", providers: { circleci: { resource_class: "xlarge" } } },
      loc,
      steps: [run("make")],
    });
    const { res } = await generateValid(request(graph));
    expect(res.diagnostics).toHaveLength(1);
    expect(res.diagnostics[0]).toMatchObject({
      level: Diagnostic_Level.ERROR,
      code: "PROVIDER_GITHUB_NO_RUNNER",
      resourceId: "job:test-ruby3.2",
      loc: { path: "cig.toml", line: 12 },
    });
    expect(res.diagnostics[0]?.message).toContain("linux-xlarge");
    expect(res.diagnostics[0]?.message).toContain("test");
    expect(res.diagnostics[0]?.fixHint).toContain("[runners.linux-xlarge]");
  });

  it("reports a cig module that reached generate unexpanded", async () => {
    const { codes } = await generateValid(
      request([
        job("a", {
          steps: [uses("lang/ruby@~1.2", { version: "3.3" }, { loc }), uses("docker/build@>=1.1"), uses("actions/setup-node@v4")],
        }),
      ]),
    );
    expect(codes).toEqual(["PROVIDER_GITHUB_UNRESOLVED_MODULE", "PROVIDER_GITHUB_UNRESOLVED_MODULE"]);
  });

  it("reports unknown caches, tools and matrix axes, conflicting filters and bad permissions", async () => {
    const res = await harness.generate(
      request(
        [
          job("a", {
            steps: [
              { action: { case: "cache", value: { name: "nope" } } },
              { action: { case: "setupTool", value: { tool: "cobol", version: "85" } } },
              run("echo {{ matrix.os }}"),
            ],
          }),
        ],
        {
          workflow: {
            triggers: [
              { kind: { case: "push", value: { branches: ["main"], branchesIgnore: ["wip/*"] } } },
              { kind: { case: "push", value: {} } },
            ],
            permissions: { contents: "admin", "pull-request": "write" },
          },
        },
      ),
    );
    expect(res.diagnostics.map((d) => d.code).sort()).toEqual([
      "PROVIDER_GITHUB_BAD_PERMISSION",
      "PROVIDER_GITHUB_DUPLICATE_TRIGGER",
      "PROVIDER_GITHUB_TRIGGER_FILTER_CONFLICT",
      "PROVIDER_GITHUB_UNKNOWN_CACHE",
      "PROVIDER_GITHUB_UNKNOWN_MATRIX_AXIS",
      "PROVIDER_GITHUB_UNKNOWN_PERMISSION",
      "PROVIDER_GITHUB_UNKNOWN_TOOL",
    ]);
    for (const d of res.diagnostics) expect(d.title).not.toBe("");
  });

  it("sanitises job ids and keeps colliding ones apart", async () => {
    const { wf, codes } = await generateValid(
      request([
        job("build.linux", { steps: [run("make")] }),
        job("build_linux", { steps: [run("make")] }),
        job("3d", { steps: [run("make")] }),
      ]),
    );
    expect(Object.keys(wf.jobs)).toEqual(["build_linux", "build_linux-2", "_3d"]);
    expect(codes).toEqual(["PROVIDER_GITHUB_JOB_ID_COLLISION"]);
  });

  it("validate warns about actions that follow a branch, pointing at the cig.toml step", async () => {
    const graph = [job("a", { steps: [uses("docker/build-push-action@main", {}, { loc })] })];
    const gen = await harness.generate(request(graph));
    const res = await harness.validate({
      rendered: [...gen.fragments, { path: "README.md", content: "uses: x/y@main", strategy: MergeStrategy.REPLACE }],
      graph,
    });
    expect(res.diagnostics).toHaveLength(1);
    expect(res.diagnostics[0]).toMatchObject({
      level: Diagnostic_Level.WARNING,
      code: "PROVIDER_GITHUB_UNPINNED_ACTION",
      resourceId: "job:a",
      loc: { path: "cig.toml", line: 12 },
    });
    // A file another plugin changed is parsed instead of taken from the memo of rendered files: same answer.
    const merged = gen.fragments.map((f) => ({ ...f, content: `${f.content}# merged by another plugin\n` }));
    expect((await harness.validate({ rendered: merged, graph })).diagnostics).toEqual(res.diagnostics);
    // The core sends no graph (the validate-without-graph feature): the locations come from the last Generate.
    expect(harness.info().features).toContain("validate-without-graph");
    expect((await harness.validate({ rendered: merged })).diagnostics).toEqual(res.diagnostics);
    const broken = await harness.validate({
      rendered: [{ path: ".github/workflows/x.yml", content: "jobs: [", strategy: MergeStrategy.REPLACE }],
    });
    expect(broken.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_GITHUB_INVALID_YAML"]);
  });

  it("advertises itself as provider/github", () => {
    expect(harness.info()).toMatchObject({ name: "provider/github", version: "0.1.0", capabilities: ["provider:github"] });
  });
});
