import { describe, expect, it } from "vitest";
import { generateValid } from "./generate-valid.js";
import { parseGitlab } from "./parse-gitlab.js";
import { job, request, run, setup, uses, variants } from "./request-builders.js";

const postgres = {
  name: "postgres",
  image: "postgres:{{ matrix.pg }}",
  env: { POSTGRES_PASSWORD: "postgres" },
  ports: ["5432:5432"],
  health: { command: "pg_isready -U postgres" },
};

describe("provider/gitlab: render → parse-gitlab → neutral graph", () => {
  it("reads back ids, needs, commands (provider lines excluded, wrappers peeled), matrix, services and conditions", async () => {
    const graph = [
      job("lint", { steps: [setup("yarn", "4.1.0"), setup("node", "20", "yarn"), run("yarn install --immutable"), run("yarn lint")] }),
      ...variants("test", [{ pg: "15" }, { pg: "16" }], {
        needs: ["job:lint"],
        services: [postgres],
        env: { DATABASE_URL: "postgres://postgres:postgres@localhost:5432/app" },
        steps: [
          setup("ruby", "3.3", "bundler"),
          run("Wait for postgres", { name: "Wait for postgres" }),
          run("bin/test --pg {{ matrix.pg }}", { env: { A: "1" }, workingDirectory: "api", timeoutMinutes: 5, continueOnError: true }),
          run("bin/report", { condition: "failure()" }),
          run("bin/deploy-preview", { condition: "branch != 'main' && event == 'pull_request'" }),
          uses("actions/upload-artifact@v4", { passthrough: { gitlab: { script: "echo from a table" } } }),
        ],
      }),
      job("image", { needs: ["job:test-pg15", "job:test-pg16"], condition: "branch == 'main' || tag == 'v*'", steps: [run("make image")] }),
      job("notify", { needs: ["job:image"], condition: "always() && event == 'push'", steps: [run("make notify")] }),
      job("nightly", { condition: "!(event == 'schedule')", steps: [] }),
    ];
    const { yaml } = await generateValid(request(graph));
    expect(parseGitlab(yaml)).toEqual([
      {
        id: "image",
        needs: ["test-pg15", "test-pg16"],
        commands: ["make image"],
        matrix: {},
        services: [],
        condition: "branch == 'main' || tag == 'v*'",
      },
      { id: "lint", needs: [], commands: ["yarn install --immutable", "yarn lint"], matrix: {}, services: [], condition: "" },
      { id: "nightly", needs: [], commands: [], matrix: {}, services: [], condition: "!(event == 'schedule')" },
      { id: "notify", needs: ["image"], commands: ["make notify"], matrix: {}, services: [], condition: "always() && event == 'push'" },
      ...["15", "16"].map((pg) => ({
        id: `test-pg${pg}`,
        needs: ["lint"],
        commands: ["Wait for postgres", `bin/test --pg ${pg}`, "bin/deploy-preview", "bin/report"],
        matrix: { pg },
        services: [`postgres:${pg}`],
        condition: "",
      })),
    ]);
  });
});
