import { describe, expect, it } from "vitest";
import { generateValid, lintRenderedAfterAll } from "./generate-valid.js";
import { job, request, run, setup, uses, variants } from "./request-builders.js";

lintRenderedAfterAll();

const WAIT = 'until pg_isready -d "$DATABASE_URL"; do\n  sleep 2\ndone\n';

describe("provider/jenkins: render, read back, compare", () => {
  it("gives back the planned graph of a Rails-like project: variants, needs, commands, services, conditions", async () => {
    const cells = [
      { ruby: "3.2", os: "ubuntu-22.04" },
      { ruby: "3.3", os: "ubuntu-24.04" },
    ];
    const graph = [
      job("assets", {
        steps: [setup("yarn", "4.1.0"), setup("node", "20.11.1", "yarn"), run("yarn install --immutable"), run("yarn build")],
      }),
      job("lint", { steps: [setup("ruby", "3.3.0", "bundler"), run("bundle exec rubocop")] }),
      ...variants("test", cells, {
        needs: ["job:assets"],
        services: [
          { name: "postgres", image: "postgres:16", ports: ["5432:5432"], health: { command: "pg_isready -U postgres" } },
          { name: "redis", image: "redis:7", ports: ["6379:6379"] },
        ],
        env: { RAILS_ENV: "test" },
        steps: [
          setup("ruby", "{{ matrix.ruby }}", "bundler"),
          run(WAIT, { name: "Wait for postgres" }),
          run("bundle exec rspec --tag os:{{ matrix.os }}"),
          uses("actions/upload-artifact@v4", {}, { passthrough: { jenkins: { junit: "spec/*.xml" } } }),
          run("bin/report", { condition: "failure()" }),
        ],
      }),
      job("deploy", {
        needs: ["job:test-ruby3.2-ubuntu-22.04", "job:test-ruby3.3-ubuntu-24.04", "job:lint"],
        condition: "branch == 'main' && event != 'pull_request'",
        steps: [{ action: { case: "run", value: { command: "./deploy\n", shell: "bash" } } }],
      }),
    ];
    const { jobs, codes } = await generateValid(request(graph));
    expect(codes).toEqual([]);
    const test = (ruby: string, os: string) => ({
      id: `test-ruby${ruby}-${os}`,
      needs: ["assets"],
      commands: [WAIT, `bundle exec rspec --tag os:${os}`, "bin/report"],
      matrix: { ruby, os },
      services: ["postgres:16", "redis:7"],
      condition: "",
    });
    expect(jobs).toEqual([
      { id: "assets", needs: [], commands: ["yarn install --immutable", "yarn build"], matrix: {}, services: [], condition: "" },
      {
        id: "deploy",
        needs: ["lint", "test-ruby3.2-ubuntu-22.04", "test-ruby3.3-ubuntu-24.04"],
        commands: ["./deploy\n"],
        matrix: {},
        services: [],
        condition: "branch == 'main' && event != 'pull_request'",
      },
      { id: "lint", needs: [], commands: ["bundle exec rubocop"], matrix: {}, services: [], condition: "" },
      test("3.2", "ubuntu-22.04"),
      test("3.3", "ubuntu-24.04"),
    ]);
  });

  it("reads back event == 'push' and its negation", async () => {
    const { jobs } = await generateValid(
      request([
        job("a", { condition: "event == 'push'", steps: [run("a")] }),
        job("b", { condition: "event != 'push' || tag == 'v*'", steps: [run("b")] }),
      ]),
    );
    expect(jobs.map((j) => j.condition)).toEqual(["event == 'push'", "event != 'push' || tag == 'v*'"]);
  });
});
