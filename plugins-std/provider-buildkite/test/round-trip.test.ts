import { describe, expect, it } from "vitest";
import type { NeutralJob } from "../../../golden-tests/neutral-graph.js";
import { generateValid, harness } from "./generate-valid.js";
import { parseBuildkite } from "./parse-buildkite.js";
import { job, request, run, uses, variants } from "./request-builders.js";

const setup = (tool: string, version: string, cache = "") => ({ action: { case: "setupTool" as const, value: { tool, version, cache } } });

const graph = () => [
  job("lint", { steps: [setup("pnpm", "9"), setup("node", "20", "pnpm"), run("pnpm install --frozen-lockfile"), run("pnpm lint")] }),
  ...variants(
    "test",
    [
      { ruby: "3.2", os: "linux/amd64" },
      { ruby: "3.3", os: "mac os, arm" },
    ],
    {
      needs: ["job:lint"],
      condition: "always() && (branch == 'main' || tag == 'v*') && event != 'schedule'",
      services: [
        { name: "redis", image: "redis:7", health: { command: "redis-cli ping" } },
        { name: "postgres", image: "postgres:{{ matrix.ruby }}", ports: ["5432:5432"] },
      ],
      steps: [
        setup("ruby", "{{ matrix.ruby }}", "bundler"),
        run("bundle exec rspec --tag {{ matrix.os }}", { name: "RSpec", env: { A: "$x" } }),
        run("cat <<'EOF'\n  $HOME stays\nEOF\n", { condition: "failure()" }),
        uses("actions/upload-artifact@v4", {}, { passthrough: { buildkite: { command: "buildkite-agent artifact upload log/*" } } }),
      ],
    },
  ),
];

const expected: NeutralJob[] = [
  {
    id: "lint",
    needs: [],
    commands: ["pnpm install --frozen-lockfile", "pnpm lint"],
    matrix: {},
    services: [],
    condition: "",
  },
  {
    id: "test-ruby3.2-linux/amd64",
    needs: ["lint"],
    commands: ["bundle exec rspec --tag linux/amd64", "cat <<'EOF'\n  $HOME stays\nEOF\n"],
    matrix: { ruby: "3.2", os: "linux/amd64" },
    services: ["postgres:3.2", "redis:7"],
    condition: "always() && (branch == 'main' || tag == 'v*') && event != 'schedule'",
  },
  {
    id: "test-ruby3.3-mac os, arm",
    needs: ["lint"],
    commands: ["bundle exec rspec --tag mac os, arm", "cat <<'EOF'\n  $HOME stays\nEOF\n"],
    matrix: { ruby: "3.3", os: "mac os, arm" },
    services: ["postgres:3.3", "redis:7"],
    condition: "always() && (branch == 'main' || tag == 'v*') && event != 'schedule'",
  },
];

describe("provider/buildkite: render → parse-buildkite → neutral graph", () => {
  it("reads back ids, needs, run commands only, matrix values, services and conditions", async () => {
    const { yaml } = await generateValid(request(graph()));
    expect(parseBuildkite(yaml)).toEqual(expected);
  });

  it("reads the same neutral graph whatever the order of the graph's jobs", async () => {
    const g = graph();
    const permuted = [g[2], g[0], g[1]].filter((r) => r !== undefined);
    const res = await harness.generate(request(permuted));
    expect(parseBuildkite(res.fragments[0]?.content ?? "")).toEqual(expected);
  });

  it("reads every portable condition form back", async () => {
    for (const c of [
      "branch == 'a'",
      "branch != 'feat/**'",
      "tag == 'v1.0'",
      "event == 'push'",
      "event == 'pull_request'",
      "event == 'manual'",
      "!(event == 'push' && branch == 'x') || tag == 'y\"z'",
    ]) {
      const res = await harness.generate(request([job("j", { condition: c, steps: [run("true")] })]));
      expect([c, parseBuildkite(res.fragments[0]?.content ?? "")[0]?.condition]).toEqual([c, c]);
    }
  });
});
