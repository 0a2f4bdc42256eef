import { describe, expect, it } from "vitest";
import { generateValid, harness } from "./generate-valid.js";
import { isSignatureBootstrap, parseBuildkite } from "./parse-buildkite.js";
import { job, LINUX, request, run, setup, variants } from "./request-builders.js";

// The work-signature skip machinery (docs/providers/buildkite.md, "Skipping unchanged jobs").

const sig = (hex: string) => `blake3:${hex.repeat(64)}`;

/** The golden case's shape: setup always runs, a skippable 2-shard test, skippable docs, deploy never skipped. */
const graph = (skippable = true) => [
  job("setup", { steps: [run("./bin/setup")] }),
  ...variants("test", [{ shard: "1" }, { shard: "2" }], {
    needs: ["job:setup"],
    skippable,
    steps: [run("./bin/test --shard {{ matrix.shard }}")],
  }),
  job("docs", { needs: ["job:test-shard1", "job:test-shard2"], skippable, steps: [run("./bin/docs")] }),
  job("deploy", { needs: ["job:docs"], condition: "branch == 'main'", steps: [run("./bin/deploy")] }),
];

const schema = (signatures: { command?: string; storeDir?: string } = {}) => ({
  project: { name: "demo", defaultRunner: "linux" },
  runners: [LINUX],
  signatures: { command: "npx --yes @cig/core@0.1.0", forceEnv: "CIG_FORCE", salt: "", storeDir: ".cig/passes", ...signatures },
});

type Verdict = boolean | { run: boolean; signature: string };
/** Decisions by variant id: true runs, false skips; signatures default to one hex digit per variant. */
function decisions(verdicts: Record<string, Verdict>) {
  const jobs = Object.fromEntries(
    Object.entries(verdicts).map(([id, v], i) => {
      const { run: shouldRun, signature } = typeof v === "boolean" ? { run: v, signature: sig(i.toString(16)) } : v;
      return [`job:${id}`, { shouldRun, reason: shouldRun ? "files_changed" : "unchanged", signature }];
    }),
  );
  return { decisions: { jobs } };
}

const ALL_RUN = { setup: true, "test-shard1": true, "test-shard2": true, docs: true, deploy: true };

describe("provider/buildkite: skipping unchanged jobs", () => {
  it("changes nothing without a skippable job, with or without decisions (rule 0)", async () => {
    const plain = await harness.generate(request(graph(false), schema()));
    const runtime = await harness.generate(request(graph(false), schema(), decisions(ALL_RUN)));
    expect(plain.fragments[0]?.content).toContain("key: docs");
    expect(runtime.fragments[0]?.content).toBe(plain.fragments[0]?.content);
    expect(runtime.diagnostics).toEqual(plain.diagnostics);
  });

  it("commits only the bootstrap step, on the default runner's agents, byte for byte", async () => {
    const { yaml, codes } = await generateValid(request(graph(), { ...schema(), workflow: { env: { TZ: "UTC" } } }));
    expect(codes).toEqual([]);
    expect(yaml).toBe(
      [
        "env:",
        "  TZ: UTC",
        "steps:",
        '  - label: ":hash: cig signatures"',
        "    key: cig-signatures",
        "    agents:",
        "      queue: linux",
        "    commands:",
        "      - |-",
        "        # cig: compute the work signatures and upload the steps that run (docs/providers/buildkite.md)",
        "        set -e",
        "        mkdir -p .cig",
        "        npx --yes @cig/core@0.1.0 compute-signatures --render buildkite > .cig/pipeline.yml",
        "        buildkite-agent pipeline upload .cig/pipeline.yml",
        "",
      ].join("\n"),
    );
    expect(isSignatureBootstrap([yaml])).toBe(true);
    expect(parseBuildkite(yaml)).toEqual([]);
  });

  it("escapes $ in the bootstrap's command, defaults [signatures], and has no agents without a default runner", async () => {
    const custom = await generateValid(request(graph(), schema({ command: "$HOME/bin/cig" })));
    expect(custom.yaml).toContain("$$HOME/bin/cig compute-signatures --render buildkite > .cig/pipeline.yml");
    const bare = await generateValid(request(graph(), {}));
    expect(bare.pl.steps[0].agents).toBeUndefined();
    expect(bare.pl.steps[0].commands[0]).toContain("npx --yes @cig/core@0.1.0 compute-signatures --render buildkite");
  });

  it("still reports the jobs' problems when it commits only the bootstrap", async () => {
    const broken = [job("lint", { skippable: true, steps: [setup("cobol", "85"), run("make lint")] })];
    const res = await harness.generate(request(broken, schema()));
    expect(res.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_BUILDKITE_UNKNOWN_TOOL"]);
    expect(isSignatureBootstrap(res.fragments)).toBe(true);
  });

  it("refuses a job whose key is the bootstrap's, and renders every job instead", async () => {
    const res = await harness.generate(request([job("cig-signatures", { skippable: true, steps: [run("true")] })], schema()));
    expect(res.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_BUILDKITE_RESERVED_KEY"]);
    expect(isSignatureBootstrap(res.fragments)).toBe(false);
    expect(parseBuildkite(res.fragments[0]?.content ?? "").map((j) => j.id)).toEqual(["cig-signatures"]);
  });

  it("does not skip with several buildkite outputs (--render prints one pipeline), and says so", async () => {
    const outputs = [
      { provider: "buildkite", path: ".buildkite/pipeline.yml" },
      { provider: "buildkite", path: ".buildkite/release.yml" },
    ];
    const res = await harness.generate(request(graph(), schema(), { outputs }));
    expect(res.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_BUILDKITE_SKIP_SEVERAL_OUTPUTS"]);
    expect(res.fragments.map((f) => isSignatureBootstrap([f]))).toEqual([false, false]);
    expect(res.fragments[0]?.content).not.toContain("record-pass");
  });

  it("at run time leaves skipped variants out and rewrites depends_on to their nearest running ancestors", async () => {
    const { byKey, pl, codes } = await generateValid(
      request(graph(), schema(), decisions({ ...ALL_RUN, "test-shard2": false, docs: false })),
    );
    expect(codes).toEqual([]);
    expect(pl.steps.map((s: { key: string }) => s.key)).toEqual(["setup", "test-shard1", "deploy"]);
    // docs needed both shards; shard 2 is skipped too, so its own need (setup) takes its place.
    expect(byKey.deploy.depends_on).toEqual(["test-shard1", "setup"]);
    expect(byKey.deploy.if).toBe('(build.tag == null && build.branch == "main")');
  });

  it("records a pass only in skippable variants that run, after their steps and before the exit", async () => {
    const { byKey } = await generateValid(request(graph(), schema(), decisions({ ...ALL_RUN, "test-shard2": false })));
    const records = (key: string) => (byKey[key].commands as string[]).filter((e) => e.includes("record-pass"));
    expect(records("setup")).toEqual([]);
    expect(records("deploy")).toEqual([]);
    expect(records("docs")).toHaveLength(1);
    const entries = byKey["test-shard1"].commands as string[];
    expect(entries.at(-2)).toBe(
      [
        "# cig: record the pass of test-shard1 (docs/providers/buildkite.md)",
        'if [ "$$cig_failed" = 0 ]; then',
        `npx --yes @cig/core@0.1.0 record-pass test-shard1 --signature ${sig("1")} ||`,
        `{ mkdir -p -- .cig/passes && : >> .cig/passes/cig-pass-v1-test-shard1-${"1".repeat(64)}; } ||`,
        "echo 'cig: could not record the pass of test-shard1; it runs again next time' >&2",
        "fi",
      ].join("\n"),
    );
    expect(entries.at(-1)).toBe('# cig: exit with the job\'s status\nexit "$$cig_failed"');
  });

  it("with everything forced, is the full pipeline plus records, and reads back as the plain one", async () => {
    const forced = await generateValid(request(graph(), schema(), decisions(ALL_RUN)));
    const plain = await generateValid(request(graph(false), schema()));
    expect(isSignatureBootstrap([forced.yaml])).toBe(false);
    expect(parseBuildkite(forced.yaml)).toEqual(parseBuildkite(plain.yaml));
    expect(forced.yaml.replace(/ {6}- \|-\n {8}# cig: record the pass[\s\S]*?\n {8}fi\n/g, "")).toBe(plain.yaml);
  });

  it("runs a variant the decisions do not name, without recording it", async () => {
    const { byKey } = await generateValid(request(graph(), schema(), decisions({ setup: true, deploy: true })));
    expect(Object.keys(byKey)).toEqual(["setup", "test-shard1", "test-shard2", "docs", "deploy"]);
    expect(JSON.stringify(byKey)).not.toContain("record-pass");
  });

  it("emits a valid one-step pipeline when nothing runs", async () => {
    const verdicts = Object.fromEntries(Object.keys(ALL_RUN).map((id) => [id, false]));
    const { pl, yaml } = await generateValid(request(graph(), schema(), decisions(verdicts)));
    expect(pl.steps).toHaveLength(1);
    expect(pl.steps[0].label).toBe(":white_check_mark: nothing to run");
    expect(pl.steps[0].agents).toEqual({ queue: "linux" });
    expect(pl.steps[0].commands[0]).toMatch(/^# cig: nothing to run .*\necho "cig: nothing to run: /);
    expect(parseBuildkite(yaml)).toEqual([]);
    expect(isSignatureBootstrap([yaml])).toBe(false);
  });

  it("mounts an absolute store dir into cig's tool image, and quotes ids and paths for the shell", async () => {
    const g = variants("test", [{ os: "mac os" }], { skippable: true, steps: [setup("ruby", "3.3"), run("rake")] });
    const { byKey, yaml } = await generateValid(
      request(g, schema({ storeDir: "/var/lib/cig passes/" }), decisions({ "test-mac os": { run: true, signature: sig("a") } })),
    );
    const step = byKey["test-mac:20os"];
    expect(step.plugins).toEqual([
      { "docker#v5.13.0": { image: "ruby:3.3", "propagate-environment": true, volumes: ["/var/lib/cig passes:/var/lib/cig passes"] } },
    ]);
    const record = (step.commands as string[]).at(-2) as string;
    expect(record).toContain(`record-pass 'test-mac os' --signature ${sig("a")} ||`);
    expect(record).toContain(
      `{ mkdir -p -- '/var/lib/cig passes' && : >> '/var/lib/cig passes/cig-pass-v1-test-mac%20os-${"a".repeat(64)}'; } ||`,
    );
    expect(yaml).toContain("cig-pass-v1-test-mac%20os-");
    const relative = await generateValid(request(g, schema(), decisions({ "test-mac os": true })));
    expect(relative.byKey["test-mac:20os"].plugins).toEqual([{ "docker#v5.13.0": { image: "ruby:3.3", "propagate-environment": true } }]);
  });

  it("warns instead of recording when a decision's signature is malformed", async () => {
    const res = await harness.generate(request(graph(), schema(), decisions({ ...ALL_RUN, docs: { run: true, signature: "sha256:abc" } })));
    expect(res.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_BUILDKITE_BAD_SIGNATURE"]);
    expect(res.fragments[0]?.content).not.toContain("record the pass of docs");
  });
});
