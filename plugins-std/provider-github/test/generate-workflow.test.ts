// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} here is GitHub expression syntax, not a JS template.
import { Fragment_Format, MergeStrategy } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateValid, harness } from "./generate-valid.js";
import { job, LINUX, request, run, uses } from "./request-builders.js";

describe("provider/github: the workflow", () => {
  it("renders a one-job workflow, byte for byte", async () => {
    const { res, yaml } = await generateValid(request([job("test", { steps: [run("npm ci"), run("npm test\nnpm run lint")] })]));
    expect(res.diagnostics).toEqual([]);
    expect(res.fragments).toHaveLength(1);
    expect(res.fragments[0]).toMatchObject({
      path: ".github/workflows/ci.yml",
      strategy: MergeStrategy.REPLACE,
      format: Fragment_Format.YAML,
    });
    expect(yaml).toBe(
      [
        "name: demo",
        "on:",
        "  push:",
        "    branches: [main]",
        "  pull_request:",
        "permissions:",
        "  contents: read",
        "jobs:",
        "  test:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "      - run: npm ci",
        "      - run: |-",
        "          npm test",
        "          npm run lint",
        "",
      ].join("\n"),
    );
  });

  it("maps needs to GitHub job ids", async () => {
    const { wf } = await generateValid(
      request([
        job("setup", { steps: [run("make deps")] }),
        job("lint", { needs: ["job:setup"], steps: [run("make lint")] }),
        job("build", { needs: ["job:setup", "job:lint"], steps: [run("make")] }),
      ]),
    );
    expect(Object.keys(wf.jobs)).toEqual(["setup", "lint", "build"]);
    expect(wf.jobs.setup.needs).toBeUndefined();
    expect(wf.jobs.lint.needs).toEqual(["setup"]);
    expect(wf.jobs.build.needs).toEqual(["setup", "lint"]);
  });

  it("renders triggers, permissions, concurrency and env from [workflow]", async () => {
    const { wf, yaml, codes } = await generateValid(
      request([job("test", { steps: [run("make test")] })], {
        workflow: {
          triggers: [
            { kind: { case: "push", value: { branches: ["main", "release/*"], tags: ["v*"], pathsIgnore: ["docs/**"] } } },
            { kind: { case: "pullRequest", value: { types: ["opened", "synchronize"], paths: ["src/**"] } } },
            { kind: { case: "schedule", value: { cron: "0 3 * * 1" } } },
            { kind: { case: "schedule", value: { cron: "30 12 * * *" } } },
            { kind: { case: "manual", value: { inputs: { environment: "no", debug: "Verbose logs?" } } } },
          ],
          permissions: { "pull-requests": "write", contents: "read" },
          concurrency: { group: "ci-${{ github.ref }}", cancelInProgress: true },
          env: { TZ: "UTC", CI_LEVEL: "on" },
        },
      }),
    );
    expect(codes).toEqual([]);
    expect(Object.keys(wf)).toEqual(["name", "on", "permissions", "concurrency", "env", "jobs"]);
    expect(wf.on).toEqual({
      push: { branches: ["main", "release/*"], tags: ["v*"], "paths-ignore": ["docs/**"] },
      pull_request: { types: ["opened", "synchronize"], paths: ["src/**"] },
      schedule: [{ cron: "0 3 * * 1" }, { cron: "30 12 * * *" }],
      workflow_dispatch: {
        inputs: {
          debug: { description: "Verbose logs?", type: "string", required: false },
          environment: { description: "no", type: "string", required: false },
        },
      },
    });
    expect(Object.keys(wf.permissions)).toEqual(["contents", "pull-requests"]);
    expect(wf.concurrency).toEqual({ group: "ci-${{ github.ref }}", "cancel-in-progress": true });
    // YAML-1.1 booleans stay strings, quoted; the top-level `on` key stays bare.
    expect(yaml).toContain('  CI_LEVEL: "on"\n');
    expect(yaml).toContain('description: "no"');
    expect(yaml).toMatch(/^on:$/m);
  });

  it("writes one file per github output, each named after its file when there are several", async () => {
    const { res } = await generateValid(
      request(
        [job("test", { steps: [run("make")] })],
        {},
        {
          outputs: [
            { provider: "github", path: ".github/workflows/ci.yml" },
            { provider: "github", path: ".github/workflows/nightly.yaml" },
            { provider: "github", path: ".github/workflows/ci.yml" },
          ],
        },
      ),
    );
    expect(res.fragments.map((f) => f.path)).toEqual([".github/workflows/ci.yml", ".github/workflows/nightly.yaml"]);
    expect(res.fragments.map((f) => f.content.split("\n")[0])).toEqual(["name: demo (ci)", "name: demo (nightly)"]);
  });

  it("is byte-identical whatever the insertion order of map fields", async () => {
    const build = (reverse: boolean) => {
      const o = <T extends Record<string, unknown>>(m: T): T => (reverse ? (Object.fromEntries(Object.entries(m).reverse()) as T) : m);
      const runner = {
        name: "linux",
        providers: { github: o({ "runs-on": "ubuntu-latest", "timeout-minutes": 30, environment: o({ name: "ci", url: "https://x" }) }) },
      };
      return request(
        ["3.2", "3.3"].map((ruby) => ({
          ...job(`test-ruby${ruby}-amd64`, {
            jobId: "test",
            matrix: o({ ruby, arch: "amd64" }),
            runner,
            env: o({ A: "1", B: "2", C: "3" }),
            passthrough: { github: o({ "continue-on-error": false, outputs: o({ x: "1", y: "2" }) }) },
            services: [{ name: "redis", image: "redis:7", env: o({ X: "1", Y: "2" }) }],
            steps: [uses("actions/upload-artifact@v4", o({ name: "a", path: "b", "retention-days": 3 }), { env: o({ P: "1", Q: "2" }) })],
          }),
        })),
        { workflow: { permissions: o({ contents: "read", checks: "write", statuses: "write" }), env: o({ K: "1", L: "2" }) } },
      );
    };
    const [a, b] = [await generateValid(build(false)), await generateValid(build(true))];
    expect(b.yaml).toBe(a.yaml);
    expect(a.yaml.indexOf('A: "1"')).toBeLessThan(a.yaml.indexOf('C: "3"'));
  });

  it("answers an empty request and no jobs with a warning, not a file", async () => {
    const empty = await harness.generate({});
    expect(empty.fragments).toEqual([]);
    expect(empty.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_GITHUB_NO_JOBS"]);
    const wrong = await harness.generate({ target: "circleci", graph: [job("x")] as never });
    expect(wrong.fragments).toEqual([]);
    expect(wrong.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_GITHUB_WRONG_TARGET"]);
  });

  it("defaults runs-on for the unnamed runner and passes the runner's other github keys through", async () => {
    const { wf, codes } = await generateValid(
      request([
        job("a", { runner: { name: "" }, steps: [run("true")] }),
        job("b", {
          timeoutMinutes: 10,
          runner: {
            name: "big",
            providers: { github: { "runs-on": ["self-hosted", "linux"], container: { image: "node:22" }, "timeout-minutes": 60 } },
          },
          steps: [run("true")],
        }),
      ]),
    );
    expect(codes).toEqual([]);
    expect(wf.jobs.a["runs-on"]).toBe("ubuntu-latest");
    expect(wf.jobs.b["runs-on"]).toEqual(["self-hosted", "linux"]);
    expect(wf.jobs.b.container).toEqual({ image: "node:22" });
    // The runner's keys are defaults: the job's own timeout wins.
    expect(wf.jobs.b["timeout-minutes"]).toBe(10);
    expect(LINUX.providers.github["runs-on"]).toBe("ubuntu-latest");
  });
});
