import { describe, expect, it } from "vitest";
import { generateValid, harness } from "./generate-valid.js";
import { isSignatureBootstrap, parseCircleci } from "./parse-circleci.js";
import { job, LINUX, request, run, setup, variants } from "./request-builders.js";

const sig = (c: string) => `blake3:${c.repeat(64)}`;
const hex = (c: string) => c.repeat(64);

/** The golden case's shape: setup always runs, a 2-shard skippable matrix, docs skippable, deploy never skipped. */
function graph(skippable = true) {
  return [
    job("setup", { steps: [run("./bin/setup")] }),
    ...variants("test", [{ shard: "1" }, { shard: "2" }], {
      needs: ["job:setup"],
      skippable,
      steps: [run("./bin/test --shard {{ matrix.shard }}")],
    }),
    job("docs", { needs: ["job:test-shard1", "job:test-shard2"], skippable, steps: [run("./bin/docs")] }),
    job("deploy", { needs: ["job:docs"], condition: "branch == 'main'", steps: [run("./bin/deploy")] }),
  ];
}

const schema = {
  project: { name: "skip-app", defaultRunner: "linux" },
  runners: [LINUX],
  jobs: [{ id: "test", matrix: { axes: [{ name: "shard", values: ["1", "2"] }] } }],
  signatures: { command: "npx --yes @cig/core@0.1.0", forceEnv: "CIG_FORCE", salt: "", storeDir: ".cig/passes" },
};

type Verdict = [variant: string, run: boolean, signature: string];
const decisions = (verdicts: Verdict[]) => ({
  jobs: Object.fromEntries(
    verdicts.map(([v, shouldRun, signature]) => [`job:${v}`, { shouldRun, reason: shouldRun ? "files_changed" : "unchanged", signature }]),
  ),
});
const ALL_RUN: Verdict[] = [
  ["setup", true, sig("0")],
  ["test-shard1", true, sig("1")],
  ["test-shard2", true, sig("2")],
  ["docs", true, sig("d")],
  ["deploy", true, sig("e")],
];

describe("provider/circleci: work signatures, no skippable job (rule 0)", () => {
  it("renders no machinery, and run-time decisions change nothing", async () => {
    const plain = await generateValid(request(graph(false), schema));
    expect(plain.cfg.setup).toBeUndefined();
    expect(plain.cfg.orbs).toBeUndefined();
    expect(plain.yaml).not.toContain("cig-pass");
    const runtime = await generateValid(request(graph(false), schema, { decisions: decisions(ALL_RUN) }));
    expect(runtime.yaml).toBe(plain.yaml);
  });
});

describe("provider/circleci: the static bootstrap", () => {
  it("is a setup config that computes signatures, looks up passes and continues with the run-time config", async () => {
    const { yaml, res } = await generateValid(request(graph(), schema));
    expect(res.diagnostics).toEqual([]);
    expect(yaml).toBe(BOOTSTRAP);
    expect(isSignatureBootstrap(yaml)).toBe(true);
    expect(isSignatureBootstrap([{ content: yaml }])).toBe(true);
    expect(isSignatureBootstrap({ ".circleci/config.yml": yaml })).toBe(true);
  });

  it("takes the command, store, force variable and tag triggers from the request", async () => {
    const { cfg } = await generateValid(
      request(graph(), {
        ...schema,
        runners: [{ name: "linux", providers: { circleci: { machine: true, resource_class: "large" } } }],
        signatures: { command: "pnpm exec cig", forceEnv: "RUN_ALL", storeDir: "/var/cig passes/" },
        workflow: { triggers: [{ kind: { case: "push", value: { tags: ["v*"] } } }], env: { SKIP_TESTS: "1", RUN_ALL: "docs" } },
      }),
    );
    const bootstrap = cfg.jobs["cig-signatures"];
    // The workflow env every job sees reaches the decision too (skip_if.env, the force variable).
    expect(bootstrap.environment).toEqual({ RUN_ALL: "docs", SKIP_TESTS: "1" });
    // The runner picks a machine: its class may not exist for docker, so CircleCI's default class.
    expect(bootstrap.resource_class).toBeUndefined();
    expect(bootstrap.steps[1].run.command).toContain("pnpm exec cig compute-signatures --signature-files .cig/sigs\n");
    expect(bootstrap.steps.at(-2).run.command).toContain('export RUN_ALL="$CIG_FORCE_PARAMETER"');
    expect(cfg.workflows.setup.when).toBeDefined();
    expect(cfg.workflows.setup.jobs).toEqual([{ "cig-signatures": { filters: { tags: { only: "/.*/" } } } }]);
  });

  it("still reports what is wrong with the jobs it does not write", async () => {
    const broken = [...graph(), job("lint", { skippable: true, steps: [setup("cobol", "85")] })];
    const { codes, cfg } = await generateValid(request(broken, schema));
    expect(codes).toContain("PROVIDER_CIRCLECI_UNKNOWN_TOOL");
    expect(Object.keys(cfg.jobs)).toEqual(["cig-signatures"]);
  });
});

describe("provider/circleci: the run-time config", () => {
  it("leaves skipped variants out, rewires requires past them, and records passes of skippable variants that run", async () => {
    const verdicts: Verdict[] = [
      ["setup", true, sig("0")],
      ["test-shard1", false, sig("1")],
      ["test-shard2", true, sig("2")],
      ["docs", true, sig("d")],
      ["deploy", true, sig("e")],
    ];
    const { yaml, cfg } = await generateValid(request(graph(), schema, { decisions: decisions(verdicts) }));
    expect(isSignatureBootstrap(yaml)).toBe(false);
    expect(cfg.setup).toBeUndefined();
    expect(cfg.workflows["skip-app"].jobs).toEqual([
      "setup",
      { test: { name: "test-shard2", shard: "2", requires: ["setup"] } },
      // test-shard1's place goes to its nearest ancestor that runs.
      { docs: { requires: ["setup", "test-shard2"] } },
      { deploy: { requires: ["docs"], filters: { branches: { only: ["main"] } } } },
    ]);
    const records = (key: string) => cfg.jobs[key].steps.filter((s: { run?: { name?: string } }) => s.run?.name?.startsWith("Record"));
    expect(records("setup")).toEqual([]);
    expect(records("deploy")).toEqual([]);
    expect(cfg.jobs.test.steps.slice(-2)).toEqual([
      {
        run: {
          name: "Record the pass of test-shard2",
          when: "on_success",
          command: [
            "# added by cig (provider/circleci)",
            "mkdir -p .cig/sigs .cig/passes",
            `echo ${sig("2")} > .cig/sigs/test-shard2`,
            `marker=.cig/passes/cig-pass-v1-test-shard2-${hex("2")}`,
            '[ -e "$marker" ] || cp .cig/sigs/test-shard2 "$marker"',
            "",
          ].join("\n"),
        },
      },
      {
        save_cache: {
          name: "Save the pass of test-shard2",
          key: 'cig-pass-v1-test-shard2-{{ checksum ".cig/sigs/test-shard2" }}',
          paths: [`.cig/passes/cig-pass-v1-test-shard2-${hex("2")}`],
          when: "on_success",
        },
      },
    ]);
    expect(records("docs")).toHaveLength(1);
  });

  it("gives each running cell of a skippable matrix its own definition, as each records its own signature", async () => {
    const { cfg } = await generateValid(request(graph(), schema, { decisions: decisions(ALL_RUN) }));
    expect(Object.keys(cfg.jobs)).toEqual(["setup", "test", "test-shard2", "docs", "deploy"]);
    expect(cfg.workflows["skip-app"].jobs.slice(1, 3)).toEqual([
      { test: { name: "test-shard1", shard: "1", requires: ["setup"] } },
      { "test-shard2": { shard: "2", requires: ["setup"] } },
    ]);
  });

  it("means the planned graph when everything runs (CIG_FORCE=1), read back by parse-circleci", async () => {
    const plain = await generateValid(request(graph(false), schema));
    const forced = await generateValid(request(graph(), schema, { decisions: decisions(ALL_RUN) }));
    expect(parseCircleci(forced.yaml)).toEqual(parseCircleci(plain.yaml));
  });

  it("with every upstream skipped, the job requires nothing", async () => {
    const verdicts: Verdict[] = [
      ["setup", true, sig("0")],
      ["test-shard1", false, sig("1")],
      ["test-shard2", false, sig("2")],
      ["docs", false, sig("d")],
      ["deploy", true, sig("e")],
    ];
    const { cfg } = await generateValid(request(graph(), schema, { decisions: decisions(verdicts) }));
    expect(cfg.workflows["skip-app"].jobs).toEqual([
      "setup",
      { deploy: { requires: ["setup"], filters: { branches: { only: ["main"] } } } },
    ]);
    const roots = [job("a", { skippable: true, steps: [run("a")] }), job("b", { needs: ["job:a"], steps: [run("b")] })];
    const lone = await generateValid(request(roots, schema, { decisions: decisions([["a", false, sig("a")]]) }));
    expect(lone.cfg.workflows["skip-app"].jobs).toEqual(["b"]);
  });

  it("with nothing to run, is still a valid config with one job that says so", async () => {
    const skippedAll: Verdict[] = ALL_RUN.map(([v, , s]) => [v, false, s]);
    const { cfg, yaml } = await generateValid(request(graph(), schema, { decisions: decisions(skippedAll) }));
    expect(cfg.workflows["skip-app"].jobs).toEqual(["cig-nothing-to-run"]);
    expect(cfg.jobs["cig-nothing-to-run"].steps[0].run.command).toContain("nothing to run: every job's inputs are unchanged");
    expect(parseCircleci(yaml)).toEqual([]);
  });

  it("declares the setup config's pipeline parameters, as CircleCI requires of a continuation, also with nothing to run", async () => {
    const custom = { ...schema, signatures: { ...schema.signatures, forceEnv: "RUN_ALL" } };
    const setupConfig = (await generateValid(request(graph(), custom))).cfg;
    expect(setupConfig.parameters["cig-force"]).toMatchObject({ type: "string", default: "" });
    const skippedAll: Verdict[] = ALL_RUN.map(([v, , s]) => [v, false, s]);
    for (const verdicts of [ALL_RUN, skippedAll]) {
      const { cfg, yaml } = await generateValid(request(graph(), custom, { decisions: decisions(verdicts) }));
      expect(cfg.parameters).toEqual(setupConfig.parameters);
      expect(cfg.parameters["cig-force"].description).toContain("(as RUN_ALL)");
      expect(yaml.startsWith("version: 2.1\nparameters:\n  cig-force:\n")).toBe(true);
    }
  });

  it("quotes a store dir the shell would split, keeps dotted ids, and records nothing for a malformed signature", async () => {
    const dotted = [
      ...variants("test", [{ ruby: "3.2" }], { skippable: true, steps: [run("rspec")] }),
      job("lint", { skippable: true, steps: [run("lint")] }),
    ];
    const res = await harness.generate(
      request(
        dotted,
        { ...schema, signatures: { command: "cig", forceEnv: "CIG_FORCE", storeDir: "my passes" } },
        {
          decisions: decisions([
            ["test-ruby3.2", true, sig("a")],
            ["lint", true, "blake3:$(reboot)"],
          ]),
        },
      ),
    );
    const yaml = res.fragments[0]?.content ?? "";
    expect(yaml).toContain(`mkdir -p .cig/sigs 'my passes'`);
    expect(yaml).toContain(`marker='my passes/cig-pass-v1-test-ruby3.2-${hex("a")}'`);
    expect(yaml).toContain(`- my passes/cig-pass-v1-test-ruby3.2-${hex("a")}`);
    expect(yaml).not.toContain("reboot");
    expect(yaml).not.toContain("Record the pass of lint");
  });
});

const BOOTSTRAP = [
  "version: 2.1",
  "setup: true",
  "orbs:",
  "  continuation: circleci/continuation@1",
  "parameters:",
  "  cig-force:",
  "    type: string",
  '    default: ""',
  '    description: "Run jobs whatever their signatures: 1, true or all for every job, or a comma list of job ids (as CIG_FORCE)"',
  "jobs:",
  "  cig-signatures:",
  "    docker:",
  "      - image: cimg/node:lts",
  "    resource_class: medium",
  "    steps:",
  "      - checkout",
  "      - run:",
  "          name: Compute work signatures",
  "          command: |",
  "            # added by cig (provider/circleci)",
  "            npx --yes @cig/core@0.1.0 compute-signatures --signature-files .cig/sigs",
  "      - restore_cache:",
  "          name: Look up a pass of test-shard1",
  "          keys: ['cig-pass-v1-test-shard1-{{ checksum \".cig/sigs/test-shard1\" }}']",
  "      - restore_cache:",
  "          name: Look up a pass of test-shard2",
  "          keys: ['cig-pass-v1-test-shard2-{{ checksum \".cig/sigs/test-shard2\" }}']",
  "      - restore_cache:",
  "          name: Look up a pass of docs",
  "          keys: ['cig-pass-v1-docs-{{ checksum \".cig/sigs/docs\" }}']",
  "      - run:",
  "          name: Render the pipeline of the jobs that run",
  "          environment:",
  "            CIG_FORCE_PARAMETER: << pipeline.parameters.cig-force >>",
  "          command: |",
  "            # added by cig (provider/circleci)",
  '            if [ -n "$CIG_FORCE_PARAMETER" ]; then export CIG_FORCE="$CIG_FORCE_PARAMETER"; fi',
  "            npx --yes @cig/core@0.1.0 compute-signatures --render circleci > .cig/continue.yml",
  "      - continuation/continue:",
  "          configuration_path: .cig/continue.yml",
  "workflows:",
  "  setup:",
  "    jobs:",
  "      - cig-signatures",
  "",
].join("\n");
