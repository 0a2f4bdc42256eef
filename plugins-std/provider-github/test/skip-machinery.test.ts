// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} here is GitHub expression syntax, not a JS template.
import { Diagnostic_Level } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { toWorkflowYamlFast } from "../src/fast-workflow-yaml.js";
import { parenthesized, ROBUST_STATUS, robustCondition } from "../src/skip-expressions.js";
import { toWorkflowYaml } from "../src/workflow-yaml.js";
import { generateValid, harness, type Workflow } from "./generate-valid.js";
import { parseGithub } from "./parse-github.js";
import { job, request, run, variants } from "./request-builders.js";

const ROBUST = "!cancelled() && !failure() && !contains(needs.*.result, 'failure') && !contains(needs.*.result, 'cancelled')";
const verdict = (id: string) => `needs.cig-signatures.outputs.run-${id} == 'true'`;
const decisionIn = (json: string, id: string) => `fromJSON(${json})['${id}']`;
const BOOT = "steps.sigs.outputs.decisions";
const NEEDS = "needs.cig-signatures.outputs.decisions";

// A project whose default runner maps to ubuntu-24.04, with cig's [signatures] defaults but the command.
const SCHEMA = {
  project: { name: "demo", defaultRunner: "linux" },
  runners: [{ name: "linux", providers: { github: { "runs-on": "ubuntu-24.04" } } }],
  signatures: { command: "npx cig", forceEnv: "CIG_FORCE", salt: "", storeDir: ".cig/passes" },
};

// a → b (skippable) → c (own condition) → d; e needs a only; f skippable on its own.
const graph = (skippable: boolean) => [
  job("a", { steps: [run("make a")] }),
  job("b", { needs: ["job:a"], skippable, steps: [run("make b")] }),
  job("c", { needs: ["job:b"], condition: "branch == 'main' || event == 'manual'", steps: [run("make c")] }),
  job("d", { needs: ["job:c"], steps: [run("make d")] }),
  job("e", { needs: ["job:a"], condition: "github.actor != 'bot'", steps: [run("make e")] }),
  job("f", { skippable, steps: [run("make f")] }),
];
const GRAPH = graph(true);

describe("provider/github: skipping unchanged jobs", () => {
  it("adds nothing without a skippable job, and ignores run-time decisions", async () => {
    const plain = graph(false);
    const { yaml, wf, codes } = await generateValid(request(plain, SCHEMA));
    expect(codes).toEqual([]);
    expect(Object.keys(wf.jobs)).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(yaml).not.toContain("cig-");
    expect(wf.jobs.b.needs).toEqual(["a"]);
    expect(wf.jobs.b.if).toBeUndefined();
    expect(wf.jobs.d.if).toBeUndefined();
    const decisions = { jobs: { "job:b": { shouldRun: false, reason: "unchanged", signature: "blake3:00" } } };
    for (const graph of [plain, GRAPH]) {
      const without = await harness.generate(request(graph, SCHEMA));
      const withDecisions = await harness.generate(request(graph, SCHEMA, { decisions }));
      expect(withDecisions.fragments[0]?.content).toBe(without.fragments[0]?.content);
    }
  });

  it("writes the bootstrap job: checkout, compute, one lookup-only probe and one output per skippable job", async () => {
    const { wf, codes } = await generateValid(request(GRAPH, SCHEMA));
    expect(codes).toEqual([]);
    expect(Object.keys(wf.jobs)).toEqual(["cig-signatures", "a", "b", "c", "d", "e", "f", "cig-result"]);
    const probe = (id: string) => ({
      name: `Look up a pass of ${id}`,
      id: `probe-${id}`,
      if: `${decisionIn(BOOT, id)}.mode == 'check'`,
      uses: "actions/cache/restore@v4",
      with: { path: `.cig/passes/${id}`, key: `\${{ ${decisionIn(BOOT, id)}.key }}`, "lookup-only": true },
    });
    const output = (id: string) => `\${{ ${decisionIn(BOOT, id)}.mode != 'skip' && steps.probe-${id}.outputs.cache-hit != 'true' }}`;
    expect(wf.jobs["cig-signatures"]).toEqual({
      "runs-on": "ubuntu-24.04",
      outputs: { decisions: `\${{ ${BOOT} }}`, "run-b": output("b"), "run-f": output("f") },
      steps: [
        { uses: "actions/checkout@v4" },
        {
          name: "Compute work signatures",
          id: "sigs",
          env: { CIG_FORCE: "${{ vars.CIG_FORCE || env.CIG_FORCE }}" },
          run: "npx cig compute-signatures --github-output",
        },
        probe("b"),
        probe("f"),
      ],
    });
    expect(Object.keys(wf.jobs["cig-signatures"])).toEqual(["runs-on", "outputs", "steps"]);
  });

  it("forces runs from a repository variable, [workflow] env or the manual run's cig-force input", async () => {
    const force = "Run jobs whatever their signatures: 1/true/all or job ids";
    const manual = (inputs: Record<string, string>) => ({ kind: { case: "manual", value: { inputs } } });
    const push = { kind: { case: "push", value: { branches: ["main"] } } };
    const schema = (forceEnv: string, triggers: object[]) => ({
      ...SCHEMA,
      signatures: { ...SCHEMA.signatures, forceEnv },
      workflow: { triggers, env: { [forceEnv]: "all" } },
    });
    const compute = (wf: Workflow) => wf.jobs["cig-signatures"].steps[1].env;

    // No manual trigger: no inputs context to read.
    const pushed = await generateValid(request(GRAPH, schema("RUN_ALL", [push])));
    expect(compute(pushed.wf)).toEqual({ RUN_ALL: "${{ vars.RUN_ALL || env.RUN_ALL }}" });
    expect(pushed.wf.on).toEqual({ push: { branches: ["main"] } });
    expect(pushed.wf.env).toEqual({ RUN_ALL: "all" });

    // A manual trigger without inputs, and one with inputs of its own: cig-force joins them, sorted.
    const bare = await generateValid(request(GRAPH, schema("CIG_FORCE", [push, manual({})])));
    expect(bare.wf.on.workflow_dispatch).toEqual({ inputs: { "cig-force": { description: force, type: "string", required: false } } });
    expect(compute(bare.wf)).toEqual({ CIG_FORCE: "${{ inputs.cig-force || vars.CIG_FORCE || env.CIG_FORCE }}" });
    const inputs = await generateValid(request(GRAPH, schema("CIG_FORCE", [manual({ target: "Where to", debug: "Verbose?" })])));
    expect(Object.keys(inputs.wf.on.workflow_dispatch.inputs)).toEqual(["cig-force", "debug", "target"]);
    expect(inputs.wf.on.workflow_dispatch.inputs.target).toEqual({ description: "Where to", type: "string", required: false });

    // A cig-force input the user declared is theirs to describe, and still forces.
    const own = await generateValid(request(GRAPH, schema("CIG_FORCE", [manual({ "cig-force": "Force these jobs" })])));
    expect(own.wf.on.workflow_dispatch.inputs).toEqual({
      "cig-force": { description: "Force these jobs", type: "string", required: false },
    });
    expect(compute(own.wf)).toEqual({ CIG_FORCE: "${{ inputs.cig-force || vars.CIG_FORCE || env.CIG_FORCE }}" });

    // A manual trigger with as many inputs as GitHub allows gets none more; GitHub has no GITHUB_ variables.
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`in${i}`, `input ${i}`]));
    const full = await generateValid(request(GRAPH, schema("GITHUB_FORCE", [manual(ten)])));
    expect(Object.keys(full.wf.on.workflow_dispatch.inputs)).toEqual(Object.keys(ten));
    expect(compute(full.wf)).toEqual({ GITHUB_FORCE: "${{ env.GITHUB_FORCE }}" });

    // Without a skippable job the manual trigger is left alone.
    const plain = await generateValid(request(graph(false), schema("CIG_FORCE", [manual({})])));
    expect(plain.wf.on).toEqual({ workflow_dispatch: null });
  });

  it("gates skippable jobs and makes exactly the jobs downstream of one robust to skipped needs", async () => {
    const { wf } = await generateValid(request(GRAPH, SCHEMA));
    const { a, b, c, d, e, f } = wf.jobs;
    // Upstream and unrelated jobs are untouched.
    expect([a.needs, a.if, e.needs, e.if]).toEqual([undefined, undefined, ["a"], "github.actor != 'bot'"]);
    expect(b.needs).toEqual(["a", "cig-signatures"]);
    expect(b.if).toBe(`\${{ ${ROBUST} && ${verdict("b")} }}`);
    expect(f.needs).toEqual(["cig-signatures"]);
    expect(f.if).toBe(`\${{ ${ROBUST} && ${verdict("f")} }}`);
    // Downstream: no verdict, no extra need, the own condition kept in parentheses.
    expect(c.needs).toEqual(["b"]);
    expect(c.if).toBe(
      `\${{ ${ROBUST} && ((github.ref_type == 'branch' && (github.head_ref || github.ref_name) == 'main') || github.event_name == 'workflow_dispatch') }}`,
    );
    expect(d.needs).toEqual(["c"]);
    expect(d.if).toBe(`\${{ ${ROBUST} }}`);
    expect(Object.keys(b)).toEqual(["needs", "if", "runs-on", "steps"]);
  });

  it("keeps a condition that already handles upstream results, and makes its success() robust", async () => {
    const { wf } = await generateValid(
      request(
        [
          job("t", { skippable: true, condition: "failure() || branch == 'success()'", steps: [run("t")] }),
          job("notify", { needs: ["job:t"], condition: "always()", steps: [run("notify")] }),
          job("after", { needs: ["job:t"], condition: "${{ success() && github.event_name == 'push' }}", steps: [run("after")] }),
          job("wrapped", { needs: ["job:t"], condition: "${{ github.event_name == 'push' }}", steps: [run("w")] }),
        ],
        SCHEMA,
      ),
    );
    expect(wf.jobs.t.if).toBe(
      `\${{ ${verdict("t")} && (failure() || (github.ref_type == 'branch' && (github.head_ref || github.ref_name) == 'success()')) }}`,
    );
    expect(wf.jobs.notify.if).toBe("always()");
    expect(wf.jobs.after.if).toBe(`\${{ (${ROBUST}) && github.event_name == 'push' }}`);
    expect(wf.jobs.wrapped.if).toBe(`\${{ ${ROBUST} && (github.event_name == 'push') }}`);
  });

  it("writes the aggregator: needs everything, always runs, records only passes, fails on failure or cancel", async () => {
    const { wf } = await generateValid(request(GRAPH, SCHEMA));
    const result = wf.jobs["cig-result"];
    expect(Object.keys(result)).toEqual(["needs", "if", "runs-on", "defaults", "steps"]);
    expect(result.needs).toEqual(["cig-signatures", "a", "b", "c", "d", "e", "f"]);
    expect(result.if).toBe("always()");
    expect(result["runs-on"]).toBe("ubuntu-24.04");
    expect(result.defaults).toEqual({ run: { shell: "bash" } });
    const [recordB, saveB, recordF, saveF, fail, ...rest] = result.steps;
    expect(rest).toEqual([]);
    expect(recordB).toEqual({
      name: "Record a pass of b",
      if: "needs.b.result == 'success'",
      env: {
        CIG_KEY: `\${{ ${decisionIn(NEEDS, "b")}.key }}`,
        CIG_SIGNATURE: `\${{ ${decisionIn(NEEDS, "b")}.signature }}`,
        CIG_STORE: ".cig/passes/b",
      },
      run: 'mkdir -p "$CIG_STORE" && echo "$CIG_SIGNATURE" > "$CIG_STORE/$CIG_KEY"',
    });
    expect(saveB).toEqual({
      name: "Save the pass of b",
      if: "needs.b.result == 'success'",
      uses: "actions/cache/save@v4",
      with: { path: ".cig/passes/b", key: `\${{ ${decisionIn(NEEDS, "b")}.key }}` },
    });
    expect([recordF.if, saveF.with.path]).toEqual(["needs.f.result == 'success'", ".cig/passes/f"]);
    expect(fail.if).toBe("contains(needs.*.result, 'failure') || contains(needs.*.result, 'cancelled')");
    const lines = (fail.run as string).split("\n");
    expect(lines.filter((l) => l.startsWith("check "))).toEqual(
      ["cig-signatures", "a", "b", "c", "d", "e", "f"].map((id) => `check ${id} "\${{ needs.${id}.result }}"`),
    );
    expect(lines.slice(-2)).toEqual(['echo "::error::Failed or cancelled:$failed"', "exit 1"]);
  });

  it("decides a grouped matrix job as a whole and a per-variant job by its variant id", async () => {
    const cells = [{ ruby: "3.2" }, { ruby: "3.3" }];
    const { wf } = await generateValid(
      request([
        ...variants("test", cells, { skippable: true, steps: [run("rspec {{ matrix.ruby }}")] }),
        // A condition naming the matrix cannot be grouped: one GitHub job per variant.
        ...variants("lint", cells, { skippable: true, condition: "'{{ matrix.ruby }}' != ''", steps: [run("rubocop")] }),
      ]),
    );
    expect(Object.keys(wf.jobs)).toEqual(["cig-signatures", "test", "lint-ruby3_2", "lint-ruby3_3", "cig-result"]);
    const probes = wf.jobs["cig-signatures"].steps.slice(2);
    expect(probes.map((s: { id: string; with: { path: string } }) => [s.id, s.with.path])).toEqual([
      ["probe-test", ".cig/passes/test"],
      ["probe-lint-ruby3_2", ".cig/passes/lint-ruby3.2"],
      ["probe-lint-ruby3_3", ".cig/passes/lint-ruby3.3"],
    ]);
    expect(Object.keys(wf.jobs["cig-signatures"].outputs)).toEqual(["decisions", "run-test", "run-lint-ruby3_2", "run-lint-ruby3_3"]);
    expect(probes[1].if).toBe("fromJSON(steps.sigs.outputs.decisions)['lint-ruby3.2'].mode == 'check'");
    expect(wf.jobs.test.if).toBe(`\${{ ${ROBUST} && ${verdict("test")} }}`);
    expect(wf.jobs["lint-ruby3_2"].if).toBe(`\${{ ${ROBUST} && ${verdict("lint-ruby3_2")} && ('3.2' != '') }}`);
    // Without a default runner or [signatures], cig's defaults.
    expect(wf.jobs["cig-signatures"]["runs-on"]).toBe("ubuntu-latest");
    expect(wf.jobs["cig-signatures"].steps[1].run).toBe("npx --yes @cig/core@0.1.0 compute-signatures --github-output");
  });

  it("quotes ids and paths that need it, in expressions, YAML and the shell", async () => {
    const schema = { ...SCHEMA, signatures: { ...SCHEMA.signatures, storeDir: "ci store/#passes/" } };
    const { wf, yaml } = await generateValid(request([job("it's", { skippable: true, steps: [run("make")] })], schema));
    expect(Object.keys(wf.jobs)).toEqual(["cig-signatures", "it_s", "cig-result"]);
    const probe = wf.jobs["cig-signatures"].steps[2];
    expect(probe.if).toBe("fromJSON(steps.sigs.outputs.decisions)['it''s'].mode == 'check'");
    expect(probe.with.path).toBe("ci store/#passes/it's");
    expect(wf.jobs["cig-result"].steps[0].env.CIG_STORE).toBe("ci store/#passes/it's");
    expect(wf.jobs.it_s.if).toBe(`\${{ ${ROBUST} && ${verdict("it_s")} }}`);
    // The fast writer and the yaml library agree on everything the machinery writes.
    expect(toWorkflowYamlFast(parse(yaml))).toBe(toWorkflowYaml(parse(yaml)));
    expect(toWorkflowYamlFast(parse(yaml))).toBe(yaml);
  });

  it("parenthesizes an own condition unless one pair already encloses it, reading past string literals", () => {
    expect(ROBUST_STATUS).toBe(ROBUST);
    expect(parenthesized("(a == 'x')")).toBe("(a == 'x')");
    expect(parenthesized("(a == 'x') || (b == 'y')")).toBe("((a == 'x') || (b == 'y'))");
    expect(parenthesized("(a == ')(')")).toBe("(a == ')(')");
    expect(parenthesized("(a == 'it''s)') || b")).toBe("((a == 'it''s)') || b)");
    expect(robustCondition("", "v")).toBe(`\${{ ${ROBUST} && v }}`);
    expect(robustCondition("  ${{ a || b }} ")).toBe(`\${{ ${ROBUST} && (a || b) }}`);
    expect(robustCondition("github.ref_name == 'always()'")).toBe(`\${{ ${ROBUST} && (github.ref_name == 'always()') }}`);
    expect(robustCondition("Always()")).toBe("Always()");
    expect(robustCondition("!Success() || x", "v")).toBe(`\${{ v && (!(${ROBUST}) || x) }}`);
  });

  it("reads back as the user's graph: machinery jobs, needs and if prefixes left out", async () => {
    const { yaml } = await generateValid(request(GRAPH, SCHEMA));
    const graph = parseGithub(yaml);
    expect(graph.map((j) => [j.id, j.needs, j.condition])).toEqual([
      ["a", [], ""],
      ["b", ["a"], ""],
      ["c", ["b"], "branch == 'main' || event == 'manual'"],
      ["d", ["c"], ""],
      ["e", ["a"], "github.actor != 'bot'"],
      ["f", [], ""],
    ]);
  });

  it("reports a user job on a reserved id, and then renders without skipping", async () => {
    const loc = { path: "cig.toml", line: 7, column: 1 };
    const res = await harness.generate(
      request([job("cig-result", { loc, steps: [run("make")] }), job("b", { skippable: true, steps: [run("b")] })], SCHEMA),
    );
    expect(res.diagnostics).toHaveLength(1);
    expect(res.diagnostics[0]).toMatchObject({
      level: Diagnostic_Level.ERROR,
      code: "PROVIDER_GITHUB_RESERVED_JOB_ID",
      resourceId: "job:cig-result",
      loc: { path: "cig.toml", line: 7 },
    });
    expect(res.diagnostics[0]?.fixHint).toContain("[jobs.cig-result]");
    expect(Object.keys(parse(res.fragments[0]?.content ?? "").jobs)).toEqual(["cig-result", "b"]);
    // Nothing to clash with when nothing is skippable.
    const plain = await harness.generate(request([job("cig-signatures", { steps: [run("make")] })], SCHEMA));
    expect(plain.diagnostics).toEqual([]);
  });
});
