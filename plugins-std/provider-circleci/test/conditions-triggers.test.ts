import { Diagnostic_Level, MergeStrategy } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateValid, harness } from "./generate-valid.js";
import { job, request, run } from "./request-builders.js";

const push = (value: Record<string, string[]>) => ({ kind: { case: "push" as const, value } });
const pr = { kind: { case: "pullRequest" as const, value: {} } };
const loc = { path: "cig.toml", line: 7, column: 1 };

describe("provider/circleci: job conditions and triggers", () => {
  it("turns branch and tag equalities into workflow filters, other conditions into a halting first step", async () => {
    const { cfg, codes } = await generateValid(
      request([
        job("main", { condition: "branch == 'main' || branch == 'release/*'", steps: [run("a")] }),
        job("tags", { condition: "tag == 'v*'", steps: [run("b")] }),
        job("not-wip", { condition: "branch != 'wip/**'", steps: [run("c")] }),
        job("nightly", { condition: "event == 'schedule' && !(branch == 'dev')", steps: [run("d")] }),
      ]),
    );
    expect(codes).toEqual([]);
    const byName = Object.fromEntries(cfg.workflows.demo.jobs.map((e: object) => [Object.keys(e)[0], Object.values(e)[0]]));
    expect(byName.main.filters).toEqual({ branches: { only: ["main", "/^release/[^/]*$/"] } });
    expect(byName.tags.filters).toEqual({ branches: { ignore: "/.*/" }, tags: { only: ["/^v[^/]*$/"] } });
    expect(byName["not-wip"].filters).toEqual({ branches: { ignore: ["/^wip/.*$/"] } });
    expect(cfg.jobs.nightly.steps[0]).toEqual({
      unless: {
        condition: {
          and: [
            { equal: ["scheduled_pipeline", "<< pipeline.trigger_source >>"] },
            { not: { equal: ["dev", "<< pipeline.git.branch >>"] } },
          ],
        },
        steps: [
          {
            run: {
              name: "Skip the job unless event == 'schedule' && !(branch == 'dev')",
              command: "# added by cig (provider/circleci)\ncircleci-agent step halt\n",
            },
          },
        ],
      },
    });
  });

  it("renders always() and failure() as requires with a status", async () => {
    const { cfg } = await generateValid(
      request([
        job("build", { steps: [run("make")] }),
        job("report", { needs: ["job:build"], condition: "always()", steps: [run("report")] }),
        job("alert", { needs: ["job:build"], condition: "failure()", steps: [run("alert")] }),
      ]),
    );
    expect(cfg.workflows.demo.jobs.slice(1)).toEqual([
      { alert: { requires: [{ build: "failed" }] } },
      { report: { requires: [{ build: "terminal" }] } },
    ]);
  });

  it("reports native and unsupported job conditions, unless the job's table sets filters", async () => {
    const { res, cfg } = await generateValid(
      request([
        job("a", { condition: "github.ref == 'refs/heads/main'", loc, steps: [run("a")] }),
        job("b", {
          condition: "github.ref == 'refs/heads/main'",
          passthrough: { circleci: { filters: { branches: { only: "main" } } } },
          steps: [run("b")],
        }),
        job("c", { condition: "event == 'pull_request'", steps: [run("c")] }),
        job("d", { condition: "failure()", steps: [run("d")] }),
      ]),
    );
    expect(res.diagnostics.map((d) => [d.code, d.resourceId])).toEqual([
      ["PROVIDER_CIRCLECI_NATIVE_CONDITION", "job:a"],
      ["PROVIDER_CIRCLECI_UNSUPPORTED_CONDITION", "job:c"],
      ["PROVIDER_CIRCLECI_UNSUPPORTED_CONDITION", "job:d"],
    ]);
    expect(res.diagnostics[0]).toMatchObject({ level: Diagnostic_Level.ERROR, loc: { line: 7 } });
    expect(res.diagnostics[0]?.fixHint).toContain("circleci = { filters");
    expect(cfg.workflows.demo.jobs[1]).toEqual({ b: { filters: { branches: { only: "main" } } } });
  });

  it("restricts the workflow to the push trigger's branches and lets tag pipelines reach every job", async () => {
    const { cfg, codes, yaml } = await generateValid(
      request(
        [job("a", { steps: [run("a")] }), job("b", { condition: "branch == 'main'", steps: [run("b")] }), job("c", { steps: [run("c")] })],
        {
          workflow: {
            triggers: [
              push({ branches: ["main", "release/*"], tags: ["v*"] }),
              { kind: { case: "schedule", value: { cron: "0 3 * * 1" } } },
            ],
          },
        },
      ),
    );
    expect(codes).toEqual(["PROVIDER_CIRCLECI_SCHEDULE_OUTSIDE_CONFIG"]);
    expect(cfg.workflows.demo.when).toEqual({
      or: [
        {
          and: [
            { equal: ["", "<< pipeline.git.tag >>"] },
            {
              or: [
                { equal: ["main", "<< pipeline.git.branch >>"] },
                { matches: { pattern: "^release/[^/]*$", value: "<< pipeline.git.branch >>" } },
              ],
            },
          ],
        },
        {
          and: [{ not: { equal: ["", "<< pipeline.git.tag >>"] } }, { matches: { pattern: "^v[^/]*$", value: "<< pipeline.git.tag >>" } }],
        },
        { equal: ["scheduled_pipeline", "<< pipeline.trigger_source >>"] },
      ],
    });
    expect(cfg.workflows.demo.jobs[0]).toEqual({ a: { filters: { tags: { only: "/.*/" } } } });
    // Shared values are written out, never as YAML anchors and aliases.
    expect(yaml).not.toMatch(/[&*]a\d/);
    // The job's own branch filter: no tag pipelines for it, and no intersection with the trigger needed.
    expect(cfg.workflows.demo.jobs[1]).toEqual({ b: { filters: { branches: { only: ["main"] } } } });
  });

  it("builds every branch when pull requests trigger (CircleCI builds a pull request's pushes), warning about ignored filters", async () => {
    const { cfg, codes } = await generateValid(
      request([job("a", { steps: [run("a")] })], {
        workflow: {
          triggers: [push({ branches: ["main"], paths: ["src/**"] }), { kind: { case: "pullRequest", value: { types: ["opened"] } } }],
        },
      }),
    );
    expect(cfg.workflows.demo.when).toBeUndefined();
    expect(codes).toEqual(["PROVIDER_CIRCLECI_TRIGGER_FILTER_IGNORED", "PROVIDER_CIRCLECI_TRIGGER_FILTER_IGNORED"]);
    const plain = await generateValid(
      request([job("a", { steps: [run("a")] })], { workflow: { triggers: [push({ branches: ["main"] }), pr] } }),
    );
    expect(plain.cfg.workflows.demo.when).toBeUndefined();
    expect(plain.codes).toEqual([]);
  });

  it("validate reports invalid YAML, a wrong version and requires of unknown jobs", async () => {
    const gen = await harness.generate(request([job("a", { steps: [run("a")] }), job("b", { needs: ["job:a"], steps: [run("b")] })]));
    const ok = await harness.validate({ rendered: gen.fragments });
    expect(ok.diagnostics).toEqual([]);
    const file = (content: string) => ({ path: ".circleci/config.yml", content, strategy: MergeStrategy.REPLACE });
    const bad = await harness.validate({
      rendered: [
        file("jobs: ["),
        { ...file("version: 2\nworkflows:\n  w:\n    jobs:\n      - a:\n          requires: [ghost]\n"), path: ".circleci/other.yml" },
        { path: "README.md", content: "jobs: [", strategy: MergeStrategy.REPLACE },
      ],
    });
    expect(bad.diagnostics.map((d) => d.code)).toEqual([
      "PROVIDER_CIRCLECI_INVALID_YAML",
      "PROVIDER_CIRCLECI_BAD_VERSION",
      "PROVIDER_CIRCLECI_UNKNOWN_REQUIRES",
    ]);
  });
});
