import { describe, expect, it } from "vitest";
import { generateValid } from "./generate-valid.js";
import { parseCircleci } from "./parse-circleci.js";
import { job, request, run, uses, variants } from "./request-builders.js";

const setup = (tool: string, version: string, cache = "") => ({ action: { case: "setupTool" as const, value: { tool, version, cache } } });

describe("provider/circleci: render → parse-circleci → neutral graph", () => {
  it("reads back ids, needs, bound commands, matrix values, services and conditions, without provider steps", async () => {
    const cells = [
      { ruby: "3.2", os: "linux" },
      { ruby: "3.3", os: "linux" },
    ];
    const { yaml } = await generateValid(
      request(
        [
          job("lint", { condition: "branch == 'main' || tag == 'v*'", steps: [setup("node", "20"), setup("pnpm", "9"), run("pnpm lint")] }),
          ...variants("test", cells, {
            needs: ["job:lint"],
            services: [
              { name: "redis", image: "redis:7", ports: ["6379:6379"], health: { command: "redis-cli ping" } },
              { name: "postgres", image: "postgres:{{ matrix.ruby }}", ports: ["5432"], health: { command: "pg_isready" } },
            ],
            caches: ["gems"],
            steps: [
              setup("ruby", "{{ matrix.ruby }}", "bundler"),
              run("wait", { name: "Wait for postgres" }),
              run("bundle exec rspec --tag {{ matrix.os }}", { continueOnError: true, condition: "always() && branch != 'wip'" }),
              uses("actions/upload-artifact@v4", {}, { passthrough: { circleci: { store_artifacts: { path: "coverage" } } } }),
            ],
          }),
          job("deploy", {
            needs: ["job:test-ruby3.2-linux", "job:test-ruby3.3-linux"],
            condition: "event == 'push' && branch == 'main'",
            steps: [run("deploy\n--now")],
          }),
          job("report", { needs: ["job:deploy"], condition: "always()", steps: [run("report")] }),
          job("unless-main", { condition: "branch != 'main' && branch != 'dev/**'", steps: [run("x")] }),
        ],
        {
          caches: [{ name: "gems", paths: ["vendor"], keyParts: ["**/Gemfile.lock"] }],
          jobs: [
            {
              id: "test",
              matrix: {
                axes: [
                  { name: "ruby", values: ["3.2", "3.3"] },
                  { name: "os", values: ["linux"] },
                ],
              },
            },
          ],
        },
      ),
    );
    const testJob = (ruby: string) => ({
      id: `test-ruby${ruby}-linux`,
      needs: ["lint"],
      commands: ["wait", `bundle exec rspec --tag linux`],
      matrix: { ruby, os: "linux" },
      services: [`postgres:${ruby}`, "redis:7"],
      condition: "",
    });
    expect(parseCircleci(yaml)).toEqual([
      {
        id: "deploy",
        needs: ["test-ruby3.2-linux", "test-ruby3.3-linux"],
        commands: ["deploy\n--now"],
        matrix: {},
        services: [],
        condition: "event == 'push' && branch == 'main'",
      },
      { id: "lint", needs: [], commands: ["pnpm lint"], matrix: {}, services: [], condition: "branch == 'main' || tag == 'v*'" },
      { id: "report", needs: ["deploy"], commands: ["report"], matrix: {}, services: [], condition: "always()" },
      testJob("3.2"),
      testJob("3.3"),
      { id: "unless-main", needs: [], commands: ["x"], matrix: {}, services: [], condition: "branch != 'main' && branch != 'dev/**'" },
    ]);
  });
});
