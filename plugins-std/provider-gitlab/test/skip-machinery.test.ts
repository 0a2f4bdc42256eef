import type { JobDecision } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateValid, harness } from "./generate-valid.js";
import { isSignatureBootstrap, parseGitlab } from "./parse-gitlab.js";
import { job, LINUX, request, run, variants } from "./request-builders.js";

const sig = (c: string) => `blake3:${c.repeat(64)}`;
const SIGNATURES = { command: "npx --yes @cig/core@0.1.0", forceEnv: "CIG_FORCE", salt: "", storeDir: ".cig/passes" };
const SCHEMA = { project: { name: "demo", defaultRunner: "linux" }, runners: [LINUX], signatures: SIGNATURES };

// The golden case's shape: setup always runs, test is a skippable 2-cell matrix, docs skippable, deploy not.
const graphOf = (skippable: boolean) => [
  job("setup", { steps: [run("./bin/setup")] }),
  ...variants("test", [{ shard: "1" }, { shard: "2" }], {
    needs: ["job:setup"],
    skippable,
    steps: [run("./bin/test --shard {{ matrix.shard }}"), run("./bin/pr-report", { condition: "event == 'pull_request'" })],
  }),
  job("docs", { needs: ["job:test-shard1", "job:test-shard2"], skippable, steps: [run("./bin/docs")] }),
  job("deploy", { needs: ["job:docs"], condition: "branch == 'main' && event == 'push'", steps: [run("./bin/deploy")] }),
];
const GRAPH = graphOf(true);
// The same graph without anything skippable.
const PLAIN = graphOf(false);
const IDS = ["setup", "test-shard1", "test-shard2", "docs", "deploy"];

/** Decisions for GRAPH: every listed variant is skipped, the rest run; signatures a, b, c, … in IDS order. */
function decide(...skipped: string[]): { jobs: Record<string, JobDecision> } {
  const jobs: Record<string, Partial<JobDecision>> = {};
  IDS.forEach((id, i) => {
    jobs[`job:${id}`] = {
      shouldRun: !skipped.includes(id),
      reason: skipped.includes(id) ? "unchanged" : "files_changed",
      signature: sig("abcde"[i] ?? "f"),
    };
  });
  return { jobs: jobs as Record<string, JobDecision> };
}

const marker = (id: string, c: string) => `.cig/passes/cig-pass-v1-${id}-${c.repeat(64)}`;
const recordLine = (id: string, c: string) =>
  `mkdir -p "$CI_PROJECT_DIR"/.cig/passes && echo ${sig(c)} > "$CI_PROJECT_DIR"/${marker(id, c)}`;

describe("provider/gitlab: skipping unchanged jobs", () => {
  it("Rule 0: without a skippable job, [signatures] and decisions change no byte", async () => {
    const base = (await harness.generate(request(PLAIN))).fragments[0]?.content;
    const withSettings = (await harness.generate(request(PLAIN, SCHEMA))).fragments[0]?.content;
    const atRunTime = (await harness.generate(request(PLAIN, SCHEMA, { decisions: decide("test-shard1") }))).fragments[0]?.content;
    expect(base).toContain("test-shard1:");
    expect(withSettings).toBe(base);
    expect(atRunTime).toBe(base);
    expect(isSignatureBootstrap([{ content: base ?? "" }])).toBe(false);
  });

  it("commits only the bootstrap: cig-signatures renders the child pipeline, cig-pipeline triggers it", async () => {
    const { yaml, codes } = await generateValid(request(GRAPH, SCHEMA));
    expect(codes).toEqual([]);
    expect(yaml).toBe(
      [
        "workflow:",
        "  rules:",
        '    - if: $CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == "main"',
        '    - if: $CI_PIPELINE_SOURCE == "merge_request_event"',
        "stages: [cig, run]",
        "cig-signatures:",
        "  stage: cig",
        "  needs: []",
        "  image: node:lts",
        "  tags: [linux]",
        "  cache:",
        "    key: cig-passes",
        "    paths: [.cig/passes/]",
        "    policy: pull",
        "  script:",
        "    # cig: work signatures; the pipeline of the jobs that run (docs/work-signatures.md)",
        "    - mkdir -p .cig && npx --yes @cig/core@0.1.0 compute-signatures --render gitlab > .cig/cig-child.yml",
        "  artifacts:",
        "    paths: [.cig/cig-child.yml]",
        "cig-pipeline:",
        "  stage: run",
        "  needs: [cig-signatures]",
        "  inherit:",
        "    variables: false",
        "  variables:",
        "    CIG_PIPELINE_SOURCE: $CI_PIPELINE_SOURCE",
        "  trigger:",
        "    include:",
        "      - artifact: .cig/cig-child.yml",
        "        job: cig-signatures",
        "    strategy: depend",
        "    forward:",
        "      pipeline_variables: true",
        "",
      ].join("\n"),
    );
    expect(isSignatureBootstrap([{ content: yaml }])).toBe(true);
    expect(parseGitlab(yaml)).toEqual([]);
  });

  it("bootstrap: [signatures] command and store_dir, the runner's image, workflow env and interruptible jobs", async () => {
    const schema = {
      ...SCHEMA,
      runners: [{ name: "linux", providers: { gitlab: { tags: ["linux"], image: "node:22" } } }],
      signatures: { ...SIGNATURES, command: "pnpm exec cig", storeDir: "./ci/passes dir/" },
      workflow: { env: { LANG: "C.UTF-8" }, concurrency: { group: "ci", cancelInProgress: true } },
    };
    const { pl } = await generateValid(request(GRAPH, schema));
    expect(pl.variables).toEqual({ LANG: "C.UTF-8" });
    expect(pl.workflow.auto_cancel).toEqual({ on_new_commit: "interruptible" });
    expect(pl["cig-signatures"]).toMatchObject({
      image: "node:22",
      interruptible: true,
      cache: { key: "cig-passes", paths: ["ci/passes dir/"], policy: "pull" },
      script: ["mkdir -p .cig && pnpm exec cig compute-signatures --render gitlab > .cig/cig-child.yml"],
    });
    expect(pl["cig-pipeline"]).toMatchObject({ interruptible: true, inherit: { variables: false } });
    expect(pl["cig-pipeline"].tags).toBeUndefined();
  });

  it("run time: skipped variants are gone, needs skip past them, records only on skippable jobs that run", async () => {
    const { pl, yaml, codes } = await generateValid(request(GRAPH, SCHEMA, { decisions: decide("test-shard1", "docs") }));
    expect(codes).toEqual([]);
    expect(Object.keys(pl)).toEqual(["workflow", "stages", "setup", "test-shard2", "deploy", "cig-record"]);
    expect(pl.workflow).toEqual({ rules: [{ if: '$CI_PIPELINE_SOURCE == "parent_pipeline"' }] });
    expect(pl.stages).toEqual(["setup", "test", "deploy"]);
    expect(pl.deploy.needs).toEqual(["setup", "test-shard2"]);
    // Event tests read the parent's source: in a child pipeline $CI_PIPELINE_SOURCE is "parent_pipeline".
    expect(pl.deploy.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == "main" && $CIG_PIPELINE_SOURCE == "push"' }]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a JS template.
    expect(pl["test-shard2"].script.at(-2)).toContain('"${CIG_PIPELINE_SOURCE:-}" = merge_request_event');
    expect(pl["test-shard2"].script.at(-1)).toBe(recordLine("test-shard2", "c"));
    expect(pl["test-shard2"].artifacts).toEqual({ paths: [marker("test-shard2", "c")] });
    for (const id of ["setup", "deploy"]) {
      expect(pl[id].artifacts).toBeUndefined();
      expect(JSON.stringify(pl[id].script)).not.toContain("cig-pass-v1");
    }
    expect(pl["cig-record"]).toEqual({
      stage: ".post",
      needs: [{ job: "test-shard2", artifacts: true, optional: true }],
      tags: ["linux"],
      variables: { GIT_STRATEGY: "none" },
      cache: { key: "cig-passes", paths: [".cig/passes/"], policy: "pull-push" },
      script: ['mkdir -p "$CI_PROJECT_DIR"/.cig/passes && ls -1 "$CI_PROJECT_DIR"/.cig/passes'],
      when: "always",
    });
    expect(isSignatureBootstrap([{ content: yaml }])).toBe(false);
    expect(parseGitlab(yaml).map((j) => [j.id, j.needs])).toEqual([
      ["deploy", ["setup", "test-shard2"]],
      ["setup", []],
      ["test-shard2", ["setup"]],
    ]);
  });

  it("run time with everything forced reads back as the full graph, every skippable job recording", async () => {
    const forced = await generateValid(request(GRAPH, SCHEMA, { decisions: decide() }));
    const full = await generateValid(request(PLAIN, SCHEMA));
    expect(parseGitlab(forced.yaml)).toEqual(parseGitlab(full.yaml));
    expect(forced.pl["cig-record"].needs.map((n: { job: string }) => n.job)).toEqual(["test-shard1", "test-shard2", "docs"]);
    expect(forced.pl.docs.script.at(-1)).toBe(recordLine("docs", "d"));
  });

  it("run time with every job skipped is still a valid pipeline: one job saying so", async () => {
    const graph = [
      ...variants("test", [{ shard: "1" }, { shard: "2" }], { skippable: true, steps: [run("./bin/test")] }),
      job("docs", { needs: ["job:test-shard1", "job:test-shard2"], skippable: true, steps: [run("./bin/docs")] }),
    ];
    const { pl, yaml, codes } = await generateValid(request(graph, SCHEMA, { decisions: decide("test-shard1", "test-shard2", "docs") }));
    expect(codes).toEqual([]);
    expect(Object.keys(pl)).toEqual(["workflow", "stages", "cig-nothing-to-run"]);
    expect(pl.stages).toEqual(["cig"]);
    expect(pl["cig-nothing-to-run"]).toMatchObject({ stage: "cig", needs: [], tags: ["linux"] });
    expect(pl["cig-nothing-to-run"].script).toEqual([`echo "nothing to run: every job's inputs are unchanged"`]);
    expect(parseGitlab(yaml)).toEqual([]);
  });

  it("runs a skippable variant the decisions do not mention (without a record: no signature) and never skips a non-skippable one", async () => {
    const decisions = decide("setup");
    delete decisions.jobs["job:docs"];
    const { pl } = await generateValid(request(GRAPH, SCHEMA, { decisions }));
    expect(Object.keys(pl)).toContain("setup");
    expect(pl.docs.artifacts).toBeUndefined();
    expect(pl["cig-record"].needs.map((n: { job: string }) => n.job)).toEqual(["test-shard1", "test-shard2"]);
  });

  it("appends the record to what the job's gitlab table set (script, artifacts) and leaves trigger jobs alone", async () => {
    const graph = [
      job("build", {
        skippable: true,
        passthrough: { gitlab: { artifacts: { paths: ["dist/"], when: "always" }, script: ["make all"] } },
        steps: [run("make")],
      }),
      job("downstream", { skippable: true, passthrough: { gitlab: { trigger: { project: "group/other" }, script: null, tags: null } } }),
    ];
    const decisions = {
      jobs: { "job:build": { shouldRun: true, signature: sig("1") }, "job:downstream": { shouldRun: true, signature: sig("2") } },
    };
    const res = await harness.generate(request(graph, SCHEMA, { decisions }));
    const { parse } = await import("yaml");
    const pl = parse(res.fragments[0]?.content ?? "");
    expect(pl.build.script).toEqual(["make all", recordLine("build", "1")]);
    expect(pl.build.artifacts).toEqual({ paths: ["dist/", marker("build", "1")], when: "always" });
    expect(pl.downstream.artifacts).toBeUndefined();
    expect(pl["cig-record"].needs).toEqual([{ job: "build", artifacts: true, optional: true }]);
  });

  it("past GitLab's 50 needs, cig-record needs nothing and takes every earlier job's artifacts", async () => {
    const cells = Array.from({ length: 51 }, (_, i) => ({ n: String(i) }));
    const graph = variants("t", cells, { skippable: true, steps: [run("echo {{ matrix.n }}")] });
    const jobs = Object.fromEntries(graph.map((r, i) => [r.id, { shouldRun: true, signature: sig((i % 10).toString()) }]));
    const { pl } = await generateValid(request(graph, SCHEMA, { decisions: { jobs } }));
    expect(pl["cig-record"].needs).toBeUndefined();
    expect(pl["cig-record"].stage).toBe(".post");
  });

  it("turns the machinery off, with an error, for a reserved job name or a store_dir outside the repository", async () => {
    const clash = [...GRAPH, job("cig-record", { steps: [run("echo mine")] })];
    const a = await harness.generate(request(clash, SCHEMA));
    expect(a.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_GITLAB_RESERVED_JOB_NAME"]);
    expect(a.fragments[0]?.content).toContain("cig-record:\n  stage: cig-record, setup\n");
    expect(a.fragments[0]?.content).not.toContain("cig-signatures");
    for (const storeDir of ["/var/cig/passes", "../passes", "."]) {
      const b = await harness.generate(
        request(GRAPH, { ...SCHEMA, signatures: { ...SIGNATURES, storeDir } }, { decisions: decide("docs") }),
      );
      expect(b.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_GITLAB_STORE_DIR"]);
      expect(b.fragments[0]?.content).toContain("docs:");
    }
  });
});
