import { Diagnostic_Level, Hook, MergeStrategy } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { createTestHarness, definePlugin } from "../src/index.js";

const plugin = definePlugin({
  info: { name: "acme/demo", version: "1.2.3", capabilities: ["policy:demo"], requires: ["provider:*"] },
  detect: (req) => ({ signals: [`files:${req.repo?.files.length ?? 0}`], confidence: 0.5 }),
  validate: (req, ctx) => {
    ctx.log.info("validating", { fragments: req.rendered.length });
    return {
      diagnostics: req.rendered
        .filter((f) => f.content.includes(":latest"))
        .map((f) => ({
          level: Diagnostic_Level.WARNING,
          code: "DEMO_LATEST",
          title: "unpinned image",
          loc: { path: f.path, line: 1, column: 1 },
        })),
    };
  },
  async *generate(req) {
    for (const name of ["a", "b"])
      yield { fragments: [{ path: `${req.target}/${name}.yml`, content: name, strategy: MergeStrategy.REPLACE }] };
  },
});

describe("test harness", () => {
  const h = createTestHarness(plugin);

  it("derives Info and the hook list from the definition", () => {
    const info = h.info();
    expect(info.name).toBe("acme/demo");
    expect(info.hooks).toEqual([Hook.DETECT, Hook.GENERATE, Hook.VALIDATE]);
    expect(info.requires).toEqual(["provider:*"]);
    // The SDK expands templated job variants for every plugin, so every plugin can take them.
    expect(info.features).toEqual(["graph-templates"]);
  });

  it("adds the features a definition opts in to, once each, sorted", () => {
    const more = createTestHarness(
      definePlugin({ info: { name: "acme/x", version: "1.0.0", features: ["validate-without-graph", "graph-templates"] } }),
    );
    expect(more.info().features).toEqual(["graph-templates", "validate-without-graph"]);
  });

  it("round-trips requests and replies through protobuf", async () => {
    const res = await h.detect({ repo: { root: "/r", files: [{ path: "a" }, { path: "b" }] } });
    expect(res.signals).toEqual(["files:2"]);
    expect(res.$typeName).toBe("cig.plugin.v1.DetectResponse");
  });

  it("collects logs and diagnostics", async () => {
    const res = await h.validate({
      rendered: [
        { path: "ci.yml", content: "image: node:latest" },
        { path: "ok.yml", content: "image: node:20" },
      ],
    });
    expect(res.diagnostics.map((d) => d.code)).toEqual(["DEMO_LATEST"]);
    expect(h.logs.at(-1)).toMatchObject({ level: "info", msg: "validating", fragments: 2 });
  });

  it("concatenates a streamed generate", async () => {
    const res = await h.generate({ target: "github" });
    expect(res.fragments.map((f) => f.path)).toEqual(["github/a.yml", "github/b.yml"]);
  });

  it("a hook that is not implemented throws", async () => {
    await expect(h.plan({})).rejects.toThrow("does not implement plan");
  });
});
