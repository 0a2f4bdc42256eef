// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is shell syntax, not a JS template.
import { Diagnostic_Level, Fragment_Format, MergeStrategy } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateValid, harness } from "./generate-valid.js";
import { job, request, run, variants } from "./request-builders.js";

describe("provider/buildkite: the pipeline", () => {
  it("renders a one-job pipeline, byte for byte", async () => {
    const { res, yaml } = await generateValid(
      request([job("test", { runner: { name: "" }, steps: [run("npm ci", { name: "Install" })] })]),
    );
    expect(res.diagnostics).toEqual([]);
    expect(res.fragments[0]).toMatchObject({
      path: ".buildkite/pipeline.yml",
      strategy: MergeStrategy.REPLACE,
      format: Fragment_Format.YAML,
    });
    expect(yaml).toBe(
      [
        "steps:",
        "  - label: test",
        "    key: test",
        "    commands:",
        "      - |-",
        "        # cig: job script (docs/providers/buildkite.md)",
        "        set +e",
        "        cig_failed=0",
        "      - |-",
        "        # Install",
        '        if [ "$$cig_failed" = 0 ]; then (',
        "        set -e",
        "        npm ci",
        "        ); [ $$? = 0 ] || cig_failed=1; fi",
        "      - |-",
        "        # cig: exit with the job's status",
        '        exit "$$cig_failed"',
        "",
      ].join("\n"),
    );
  });

  it("maps needs to depends_on keys, in the graph's order, and encodes characters keys cannot hold", async () => {
    const { pl, byKey } = await generateValid(
      request([
        job("setup", { steps: [run("make deps")] }),
        ...variants("test", [{ os: "linux/amd64" }, { os: "mac os" }], { needs: ["job:setup"], steps: [run("make test")] }),
        job("deploy", { needs: ["job:test-linux/amd64", "job:test-mac os", "job:setup"], steps: [run("make deploy")] }),
      ]),
    );
    expect(pl.steps.map((s: { key: string }) => s.key)).toEqual(["setup", "test-linux:2famd64", "test-mac:20os", "deploy"]);
    expect(byKey.deploy.depends_on).toEqual(["test-linux:2famd64", "test-mac:20os", "setup"]);
    expect(byKey["test-mac:20os"].label).toBe("test (os=mac os)");
    expect(byKey.setup.depends_on).toBeUndefined();
  });

  it("puts the runner's buildkite keys under cig's and the job's table over both; no runner means no agents", async () => {
    const { byKey, codes } = await generateValid(
      request([
        job("a", { runner: { name: "" }, steps: [run("true")] }),
        job("b", {
          timeoutMinutes: 10,
          env: { B: "2", A: "1" },
          runner: { name: "big", providers: { buildkite: { agents: { queue: "xlarge" }, timeout_in_minutes: 60, priority: 2 } } },
          passthrough: { buildkite: { agents: { os: "linux" }, retry: { automatic: true }, env: { C: "3" } } },
          steps: [run("true")],
        }),
      ]),
    );
    expect(codes).toEqual([]);
    expect(byKey.a.agents).toBeUndefined();
    expect(Object.keys(byKey.b)).toEqual(["label", "key", "agents", "timeout_in_minutes", "env", "commands", "priority", "retry"]);
    expect(byKey.b.agents).toEqual({ queue: "xlarge", os: "linux" });
    expect(byKey.b.timeout_in_minutes).toBe(10);
    expect(byKey.b.env).toEqual({ A: "1", B: "2", C: "3" });
  });

  it("writes pipeline env and escapes $ for upload-time interpolation, quoting what YAML 1.1 misreads", async () => {
    const { yaml, pl } = await generateValid(
      request([job("a", { env: { ON: "yes", V: "3.10" }, steps: [run('echo "$HOME" ${USER}')] })], {
        workflow: { env: { TZ: "UTC", PRICE: "$5" } },
      }),
    );
    expect(pl.env).toEqual({ PRICE: "$$5", TZ: "UTC" });
    expect(yaml).toContain('echo "$$HOME" $${USER}');
    expect(yaml).toContain('"ON": "yes"');
    expect(yaml).toContain('V: "3.10"');
  });

  it("writes one file per buildkite output and skips paths outside the repository", async () => {
    const res = await harness.generate(
      request(
        [job("a", { steps: [run("true")] })],
        {},
        {
          outputs: [
            { provider: "buildkite", path: ".buildkite/pipeline.yml" },
            { provider: "buildkite", path: ".buildkite/pipeline.release.yml" },
            { provider: "buildkite", path: "../escape.yml" },
            { provider: "github", path: ".github/workflows/ci.yml" },
          ],
        },
      ),
    );
    expect(res.fragments.map((f) => f.path)).toEqual([".buildkite/pipeline.yml", ".buildkite/pipeline.release.yml"]);
    expect(res.diagnostics.map((d) => [d.code, d.level])).toEqual([["PROVIDER_BUILDKITE_BAD_OUTPUT_PATH", Diagnostic_Level.ERROR]]);
  });

  it("warns and writes nothing without jobs, and refuses another target", async () => {
    const empty = await harness.generate(request([]));
    expect(empty.fragments).toEqual([]);
    expect(empty.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_BUILDKITE_NO_JOBS"]);
    const wrong = await harness.generate({ ...request([job("a")]), target: "gitlab" });
    expect(wrong.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_BUILDKITE_WRONG_TARGET"]);
  });

  it("gives the same bytes for the same request, and for maps given in another order", async () => {
    const graph = (flip: boolean) => [
      job("a", {
        env: flip ? { Z: "1", A: "2" } : { A: "2", Z: "1" },
        caches: flip ? ["c2", "c1"] : ["c2", "c1"],
        services: (flip ? ["redis", "postgres"] : ["postgres", "redis"]).map((name) => ({
          name,
          image: `${name}:1`,
          env: flip ? { Y: "1", X: "2" } : { X: "2", Y: "1" },
          health: { command: "true" },
        })),
        steps: [run("make", { env: flip ? { B: "1", A: "1" } : { A: "1", B: "1" } })],
        passthrough: { buildkite: flip ? { retry: { manual: false }, priority: 1 } : { priority: 1, retry: { manual: false } } },
      }),
    ];
    const caches = [
      { name: "c1", paths: ["x"], keyParts: ["x.lock"] },
      { name: "c2", paths: ["y"], keyParts: ["v1"] },
    ];
    const a = await harness.generate(request(graph(false), { caches }));
    const b = await harness.generate(request(graph(false), { caches }));
    const c = await harness.generate(request(graph(true), { caches }));
    expect(b.fragments[0]?.content).toBe(a.fragments[0]?.content);
    expect(c.fragments[0]?.content).toBe(a.fragments[0]?.content);
  });
});
