import { createTestHarness, fakeRepo } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { detectNode } from "../src/detect-node.js";

const enc = new TextEncoder();
const repo = (files: Record<string, string | null>) => fakeRepo(files);

describe("lang/node detection", () => {
  it("prefers .nvmrc over package.json engines, and strips a leading v", () => {
    const r = detectNode(repo({ ".nvmrc": "v20.11.0\n", "package.json": '{"engines":{"node":">=18"}}' }));
    expect(r.facts).toMatchObject({ node_version: "20.11.0", node_version_source: ".nvmrc" });
    expect(r.signals).toEqual(["node_detected", "has_package_json", "has_nvmrc"]);
    expect(r.confidence).toBe(0.9);
  });

  it("reads .tool-versions and packageManager", () => {
    const r = detectNode(
      repo({ ".tool-versions": "ruby 3.3.0\nnodejs 22.1.0 # pinned\n", "package.json": '{"packageManager":"pnpm@9.1.0+sha512.abc"}' }),
    );
    expect(r.facts).toEqual({
      node_version: "22.1.0",
      node_version_source: ".tool-versions",
      package_manager: "pnpm",
      package_manager_version: "9.1.0",
    });
  });

  it("falls back to the lockfile for the package manager", () => {
    expect(detectNode(repo({ "package.json": "{}", "yarn.lock": null })).facts?.package_manager).toBe("yarn");
    expect(detectNode(repo({ "package.json": "{}", "package-lock.json": null })).facts?.package_manager).toBe("npm");
  });

  it("reports bad package.json as a warning with its position", () => {
    const r = detectNode(repo({ "package.json": '{\n  "name": "x",\n  oops\n}' }));
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics?.[0]).toMatchObject({ code: "LANG_NODE_BAD_PACKAGE_JSON", loc: { path: "package.json", line: 3, column: 3 } });
    expect(r.confidence).toBe(0.9);
  });

  it("finds nothing in a repository without Node", () => {
    const r = detectNode(repo({ Gemfile: "source 'https://rubygems.org'" }));
    expect(r).toMatchObject({ signals: [], facts: {}, confidence: 0 });
  });

  it("works through the SDK test harness (wire round trip)", async () => {
    const { langNodeDefinition } = await import("../src/plugin-definition.js");
    const h = createTestHarness(langNodeDefinition);
    expect(h.info().capabilities).toContain("lang:node");
    const res = await h.detect({
      repo: { root: "/r", files: [{ path: "package.json", content: enc.encode('{"engines":{"node":"20"}}') }] },
    });
    expect(res.facts.node_version).toBe("20");
  });
});

describe("lang/node plan", () => {
  it("sets up pnpm, then Node with the pnpm cache, then installs, for jobs with packages = [node]", async () => {
    const { langNodeDefinition } = await import("../src/plugin-definition.js");
    const h = createTestHarness(langNodeDefinition);
    const res = await h.plan({
      facts: { node_version: "20.11.1", package_manager: "pnpm", package_manager_version: "9.15.0" },
      schema: {
        jobs: [
          { id: "test", packages: ["node"] },
          { id: "lint", packages: ["ruby"] },
        ],
      },
    });
    expect(res.resources.map((r) => r.id)).toEqual(["step:test/setup-pnpm", "step:test/setup-node", "step:test/install-node-deps"]);
    const node = res.resources[1]?.spec;
    expect(node?.case === "step" && node.value.step?.action).toEqual({
      case: "setupTool",
      value: expect.objectContaining({ tool: "node", version: "20.11.1", cache: "pnpm" }),
    });
  });

  it("defaults to npm and the LTS without detected facts", async () => {
    const h = createTestHarness((await import("../src/plugin-definition.js")).langNodeDefinition);
    const res = await h.plan({ schema: { jobs: [{ id: "build", packages: ["nodejs"] }] } });
    expect(res.resources.map((r) => r.id)).toEqual(["step:build/setup-node", "step:build/install-node-deps"]);
    const node = res.resources[0]?.spec;
    expect(node?.case === "step" && node.value.step?.action.value).toMatchObject({ version: "lts/*", cache: "npm" });
  });
});

describe("lang/node plan with a node matrix axis", () => {
  it("takes the version from the matrix, leaving the placeholder for the provider", async () => {
    const h = createTestHarness((await import("../src/plugin-definition.js")).langNodeDefinition);
    const res = await h.plan({
      facts: { node_version: "20.11.1" },
      schema: { jobs: [{ id: "test", packages: ["node"], matrix: { axes: [{ name: "node", values: ["18", "20"] }] } }] },
    });
    const node = res.resources.find((r) => r.id === "step:test/setup-node")?.spec;
    expect(node?.case === "step" && node.value.step?.action.value).toMatchObject({ version: "{{ matrix.node }}" });
  });
});
