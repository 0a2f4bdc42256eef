import { Fragment_Format, MergeStrategy } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateValid, harness } from "./generate-valid.js";
import { job, request, run, variants } from "./request-builders.js";

const schemaJob = (id: string, axes: Record<string, string[]>) => ({
  id,
  matrix: { axes: Object.entries(axes).map(([name, values]) => ({ name, values })) },
});

describe("provider/circleci: the config", () => {
  it("renders a one-job config, byte for byte", async () => {
    const { res, yaml } = await generateValid(request([job("test", { steps: [run("npm ci"), run("npm test\nnpm run lint")] })]));
    expect(res.diagnostics).toEqual([]);
    expect(res.fragments[0]).toMatchObject({ path: ".circleci/config.yml", strategy: MergeStrategy.REPLACE, format: Fragment_Format.YAML });
    expect(yaml).toBe(
      [
        "version: 2.1",
        "jobs:",
        "  test:",
        "    docker:",
        "      - image: cimg/base:current",
        "    resource_class: medium",
        "    steps:",
        "      - checkout",
        "      - run:",
        "          command: npm ci",
        "      - run:",
        "          command: |-",
        "            npm test",
        "            npm run lint",
        "workflows:",
        "  demo:",
        "    jobs:",
        "      - test",
        "",
      ].join("\n"),
    );
  });

  it("maps needs to requires and keeps jobs in a stable dependency order", async () => {
    const graph = [
      job("setup", { steps: [run("make deps")] }),
      job("lint", { needs: ["job:setup"], steps: [run("make lint")] }),
      job("docs", { steps: [run("make docs")] }),
      job("build", { needs: ["job:setup", "job:lint"], steps: [run("make")] }),
    ];
    const { cfg, yaml } = await generateValid(request(graph));
    expect(Object.keys(cfg.jobs)).toEqual(["docs", "setup", "lint", "build"]);
    expect(cfg.workflows.demo.jobs).toEqual([
      "docs",
      "setup",
      { lint: { requires: ["setup"] } },
      { build: { requires: ["setup", "lint"] } },
    ]);
    // Another topological order of the same graph gives the same bytes.
    const again = await generateValid(request([graph[2], graph[0], graph[1], graph[3]] as typeof graph));
    expect(again.yaml).toBe(yaml);
  });

  it("shares one parametrised definition between variants that differ only in matrix values", async () => {
    const cells = [
      { ruby: "3.2", arch: "amd64" },
      { ruby: "3.10", arch: "amd64" },
    ];
    const { cfg, yaml, codes } = await generateValid(
      request(
        [
          job("setup", { steps: [run("bin/setup")] }),
          ...variants("test", cells, {
            needs: ["job:setup"],
            env: { RUBY: "{{ matrix.ruby }}" },
            steps: [
              { action: { case: "setupTool", value: { tool: "ruby", version: "{{ matrix.ruby }}" } } },
              run("bundle exec rspec # {{ matrix.arch }}", { name: "rspec {{ matrix.ruby }}" }),
            ],
          }),
        ],
        { jobs: [schemaJob("test", { ruby: ["3.2", "3.10"], arch: ["amd64"] })] },
      ),
    );
    expect(codes).toEqual([]);
    expect(Object.keys(cfg.jobs)).toEqual(["setup", "test"]);
    expect(cfg.jobs.test.parameters).toEqual({ ruby: { type: "string" }, arch: { type: "string" } });
    expect(cfg.jobs.test.docker).toEqual([{ image: "cimg/ruby:<< parameters.ruby >>" }]);
    expect(cfg.jobs.test.environment).toEqual({ RUBY: "<< parameters.ruby >>" });
    expect(cfg.jobs.test.steps[1]).toEqual({
      run: { name: "rspec << parameters.ruby >>", command: "bundle exec rspec # << parameters.arch >>" },
    });
    expect(cfg.workflows.demo.jobs.slice(1)).toEqual([
      { test: { name: "test-ruby3.2-amd64", ruby: "3.2", arch: "amd64", requires: ["setup"] } },
      { test: { name: "test-ruby3.10-amd64", ruby: "3.10", arch: "amd64", requires: ["setup"] } },
    ]);
    expect(yaml).toContain('ruby: "3.10"');
  });

  it("gives a variant that differs its own definition, needs exact per variant", async () => {
    const build = variants("build", [{ ruby: "3.2" }, { ruby: "3.3" }], { steps: [run("make RUBY={{ matrix.ruby }}")] });
    const v33 = build[1]?.spec;
    if (v33?.case === "job") v33.value.steps = [...(v33.value.steps ?? []), run("upload coverage")];
    const test = job("test", { needs: ["job:build-ruby3.3"], steps: [run("make test")] });
    const { cfg } = await generateValid(request([...build, test]));
    expect(Object.keys(cfg.jobs)).toEqual(["build", "build-ruby3_3", "test"]);
    expect(cfg.workflows.demo.jobs).toEqual([
      { build: { name: "build-ruby3.2", ruby: "3.2" } },
      { "build-ruby3_3": { name: "build-ruby3.3", ruby: "3.3" } },
      { test: { requires: ["build-ruby3.3"] } },
    ]);
  });

  it("is byte-identical whatever the insertion order of map fields", async () => {
    const build = (reverse: boolean) => {
      const o = <T extends Record<string, unknown>>(m: T): T => (reverse ? (Object.fromEntries(Object.entries(m).reverse()) as T) : m);
      const runner = { name: "linux", providers: { circleci: o({ resource_class: "large", environment: o({ A: "1", B: "2" }) }) } };
      return request(
        ["3.2", "3.3"].map((ruby) =>
          job(`test-ruby${ruby}-amd64`, {
            jobId: "test",
            matrix: o({ ruby, arch: "amd64" }),
            runner,
            env: o({ X: "1", Y: "2", Z: "3" }),
            passthrough: { circleci: o({ context: ["a", "b"], parallelism: 2 }) },
            services: [{ name: "redis", image: "redis:7", env: o({ P: "1", Q: "2" }) }],
            steps: [run("make", { env: o({ M: "1", N: "2" }) })],
          }),
        ),
        { workflow: { env: o({ K: "1", L: "2" }) } },
      );
    };
    const [a, b] = [await generateValid(build(false)), await generateValid(build(true))];
    expect(b.yaml).toBe(a.yaml);
    expect(a.cfg.jobs.test.environment).toEqual({ A: "1", B: "2", K: "1", L: "2", X: "1", Y: "2", Z: "3" });
    expect(a.cfg.jobs.test.parallelism).toBe(2);
    expect(a.cfg.workflows.demo.jobs[0].test.context).toEqual(["a", "b"]);
  });

  it("writes each circleci output, warns about paths CircleCI does not read, skips paths outside the repo", async () => {
    const res = await harness.generate(
      request(
        [job("t", { steps: [run("make")] })],
        {},
        {
          outputs: [
            { provider: "circleci", path: ".circleci/config.yml" },
            { provider: "circleci", path: "ci/circle.yml" },
            { provider: "circleci", path: "../x.yml" },
            { provider: "github", path: ".github/workflows/ci.yml" },
          ],
        },
      ),
    );
    expect(res.fragments.map((f) => f.path)).toEqual([".circleci/config.yml", "ci/circle.yml"]);
    expect(res.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_CIRCLECI_OUTPUT_NOT_A_CONFIG", "PROVIDER_CIRCLECI_BAD_OUTPUT_PATH"]);
  });

  it("answers an empty request and a wrong target with a diagnostic, not a file", async () => {
    const empty = await harness.generate({});
    expect(empty.fragments).toEqual([]);
    expect(empty.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_CIRCLECI_NO_JOBS"]);
    const wrong = await harness.generate({ target: "github", graph: [job("x")] as never });
    expect(wrong.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_CIRCLECI_WRONG_TARGET"]);
  });

  it("takes the executor from the runner table and keeps the job's table last", async () => {
    const { cfg, codes } = await generateValid(
      request([
        job("a", { runner: { name: "" }, steps: [run("true")] }),
        job("b", {
          runner: { name: "vm", providers: { circleci: { machine: { image: "ubuntu-2204:current" }, resource_class: "large" } } },
          passthrough: { circleci: { resource_class: "xlarge" } },
          steps: [{ action: { case: "setupTool", value: { tool: "node", version: "20" } } }, run("node -v")],
        }),
      ]),
    );
    expect(codes).toEqual([]);
    expect(cfg.jobs.a.docker).toEqual([{ image: "cimg/base:current" }]);
    expect(cfg.jobs.b.machine).toEqual({ image: "ubuntu-2204:current" });
    expect(cfg.jobs.b.docker).toBeUndefined();
    expect(cfg.jobs.b.resource_class).toBe("xlarge");
    expect(cfg.jobs.b.steps[1].run.command).toContain("nvm install 20");
  });
});
