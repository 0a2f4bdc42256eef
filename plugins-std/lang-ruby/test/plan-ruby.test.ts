import { createTestHarness } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { langRubyDefinition } from "../src/plugin-definition.js";

const h = createTestHarness(langRubyDefinition);
const setupOf = (res: Awaited<ReturnType<typeof h.plan>>, id: string) => {
  const spec = res.resources.find((r) => r.id === id)?.spec;
  return spec?.case === "step" ? spec.value : undefined;
};

describe("lang/ruby plan", () => {
  it("sets up the detected Ruby with the Bundler cache in SETUP at order 20, only in jobs with packages = [ruby]", async () => {
    const res = await h.plan({
      facts: { ruby_version: "3.3.0", ruby_dependency_file: "Gemfile.lock" },
      schema: { jobs: [{ id: "test", packages: ["ruby", "node"] }, { id: "lint", packages: ["node"] }, { id: "docs" }] },
    });
    // setup-ruby's bundler cache runs `bundle install`: no separate install step.
    expect(res.resources.map((r) => r.id)).toEqual(["step:test/setup-ruby"]);
    expect(setupOf(res, "step:test/setup-ruby")).toMatchObject({
      jobId: "test",
      placement: 1,
      order: 20,
      step: { name: "Set up Ruby", action: { case: "setupTool", value: { tool: "ruby", version: "3.3.0", cache: "bundler" } } },
    });
  });

  it("takes the version from a ruby matrix axis, leaving the placeholder for the provider", async () => {
    const res = await h.plan({
      facts: { ruby_version: "3.3.0" },
      schema: {
        jobs: [
          {
            id: "test",
            packages: ["ruby"],
            matrix: {
              axes: [
                { name: "os", values: ["a"] },
                { name: "ruby", values: ["3.2", "3.3"] },
              ],
            },
          },
        ],
      },
    });
    expect(setupOf(res, "step:test/setup-ruby")?.step?.action.value).toMatchObject({ version: "{{ matrix.ruby }}" });
  });

  it("without facts: the latest stable Ruby and no Bundler cache (there is no Gemfile)", async () => {
    const res = await h.plan({ schema: { jobs: [{ id: "build", packages: ["ruby"] }] } });
    expect(setupOf(res, "step:build/setup-ruby")?.step?.action.value).toMatchObject({ tool: "ruby", version: "ruby", cache: "" });
  });
});
