import { createTestHarness } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { langGoDefinition } from "../src/plugin-definition.js";

const h = createTestHarness(langGoDefinition);
const stepOf = (res: Awaited<ReturnType<typeof h.plan>>, id: string) => {
  const spec = res.resources.find((r) => r.id === id)?.spec;
  return spec?.case === "step" ? spec.value : undefined;
};

describe("lang/go plan", () => {
  it("sets up the detected Go with setup-go's default cache (20), then downloads modules (30)", async () => {
    const res = await h.plan({
      facts: { go_version: "1.22.4", go_dependency_file: "go.sum" },
      schema: {
        jobs: [
          { id: "build", packages: ["go"] },
          { id: "lint", packages: ["node"] },
        ],
      },
    });
    expect(res.resources.map((r) => [r.id, stepOf(res, r.id)?.order])).toEqual([
      ["step:build/setup-go", 20],
      ["step:build/download-go-modules", 30],
    ]);
    expect(stepOf(res, "step:build/setup-go")?.step?.action.value).toMatchObject({ tool: "go", version: "1.22.4", cache: "" });
    expect(stepOf(res, "step:build/download-go-modules")?.step?.action.value).toMatchObject({ command: "go mod download" });
  });

  it("without go.sum: no module cache and nothing to download", async () => {
    const res = await h.plan({
      facts: { go_version: "1.22", go_dependency_file: "go.mod" },
      schema: { jobs: [{ id: "b", packages: ["golang"] }] },
    });
    expect(res.resources.map((r) => r.id)).toEqual(["step:b/setup-go"]);
    expect(stepOf(res, "step:b/setup-go")?.step?.action.value).toMatchObject({ cache: "none" });
  });

  it("takes the version from a go matrix axis; without facts: the latest stable Go", async () => {
    const matrix = { axes: [{ name: "go", values: ["1.22", "1.23"] }] };
    const res = await h.plan({ facts: { go_version: "1.22" }, schema: { jobs: [{ id: "t", packages: ["go"], matrix }] } });
    expect(stepOf(res, "step:t/setup-go")?.step?.action.value).toMatchObject({ version: "{{ matrix.go }}" });
    const bare = await h.plan({ schema: { jobs: [{ id: "t", packages: ["go"] }] } });
    expect(stepOf(bare, "step:t/setup-go")?.step?.action.value).toMatchObject({ version: "stable" });
  });
});
