// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is shell syntax, not a JS template.
import { Diagnostic_Level, MergeStrategy } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateValid, harness } from "./generate-valid.js";
import { job, request, run, setup, uses, variants } from "./request-builders.js";

const loc = { path: "cig.toml", line: 12, column: 1 };

describe("provider/gitlab: steps", () => {
  it("wraps step settings around the verbatim command, status steps go to after_script", async () => {
    const { pl } = await generateValid(
      request([
        job("test", {
          steps: [
            run("npm test", {
              name: "Unit",
              env: { NODE_ENV: "test", B: "it's" },
              workingDirectory: "web",
              timeoutMinutes: 15,
              continueOnError: true,
            }),
            run("bin/notify", { condition: "branch == 'main' && event == 'push'" }),
            run("bin/report", { condition: "failure()" }),
            run("bin/cleanup", { condition: "always()" }),
          ],
        }),
      ]),
    );
    expect(pl.test.script).toEqual([
      [
        "( cd -- web && export B='it'\\''s' NODE_ENV=test || exit  # cig: working_directory, env",
        "timeout 15m bash -eo pipefail <<'CIG_STEP' || echo 'cig: the step failed; continuing (continue_on_error)'  # cig: timeout 15m, continue_on_error",
        "npm test",
        "CIG_STEP",
        ")",
      ].join("\n"),
      [
        `if [ "\${CI_COMMIT_BRANCH:-}" = main ] && [ "\${CI_PIPELINE_SOURCE:-}" = push ]; then  # cig: if branch == 'main' && event == 'push'`,
        "bin/notify",
        "fi",
      ].join("\n"),
    ]);
    expect(pl.test.after_script).toEqual([`if [ "$CI_JOB_STATUS" = failed ]; then  # cig: if failure()\nbin/report\nfi`, "bin/cleanup"]);
  });

  it("renders foreign steps from their gitlab table, skips on request, and reports them otherwise", async () => {
    const { pl, codes } = await generateValid(
      request([
        job("build", {
          steps: [
            run("make"),
            uses("actions/upload-artifact@v4", {
              condition: "always()",
              passthrough: { gitlab: { artifacts: { paths: ["dist/"], when: "always" } } },
            }),
            uses("actions/upload-artifact@v4", { passthrough: { gitlab: { artifacts: { paths: ["logs/"] } } } }),
            uses("codecov/codecov-action@v4", { passthrough: { gitlab: { skip: true } } }),
            uses("docker/login-action@v3", { loc }),
            run("ignored", { passthrough: { gitlab: { skip: true } } }),
          ],
        }),
      ]),
    );
    expect(pl.build.artifacts).toEqual({ paths: ["dist/", "logs/"], when: "always" });
    expect(pl.build.script).toEqual(["make"]);
    expect(codes).toEqual(["PROVIDER_GITLAB_FOREIGN_STEP"]);
  });

  it("takes a native condition only with the gitlab equivalent, and reports it otherwise", async () => {
    const res = await harness.generate(
      request([
        job("a", { loc, condition: "github.ref == 'refs/heads/main'", steps: [run("x", { condition: "${{ always() }}" })] }),
        job("b", {
          condition: "github.ref == 'refs/heads/main'",
          passthrough: { gitlab: { rules: [{ if: "$CI_COMMIT_TAG" }] } },
          steps: [
            run("y", { condition: "github.event_name == 'push'", passthrough: { gitlab: { if: '[ "$CI_PIPELINE_SOURCE" = push ]' } } }),
          ],
        }),
      ]),
    );
    expect(res.diagnostics.map((d) => [d.code, d.resourceId])).toEqual([
      ["PROVIDER_GITLAB_NATIVE_CONDITION", "job:a"],
      ["PROVIDER_GITLAB_NATIVE_CONDITION", "job:a"],
    ]);
    expect(res.diagnostics.find((d) => d.message.includes("the job was rendered"))).toMatchObject({
      level: Diagnostic_Level.ERROR,
      loc: { line: 12 },
    });
    const { pl } = await generateValid(
      request([
        job("b", { condition: "github.ref == 'x'", passthrough: { gitlab: { rules: [{ if: "$CI_COMMIT_TAG" }] } }, steps: [run("y")] }),
      ]),
    );
    expect(pl.b.rules).toEqual([{ if: "$CI_COMMIT_TAG" }]);
  });

  it("turns checkout steps into clone variables and fills an empty script", async () => {
    const { pl } = await generateValid(
      request([job("a", { steps: [{ action: { case: "checkout", value: { fetchDepth: 0, submodules: true } } }] })]),
    );
    expect(pl.a.variables).toEqual({ GIT_DEPTH: "0", GIT_SUBMODULE_STRATEGY: "recursive" });
    expect(pl.a.script).toEqual([":"]);
  });
});

describe("provider/gitlab: diagnostics", () => {
  it("reports unknown tools, caches, axes, shells, unsupported conditions, modules and missing tools", async () => {
    const res = await harness.generate(
      request([
        job("a", {
          condition: "failure() || branch == 'main'",
          caches: ["nope"],
          steps: [
            setup("cobol", "85"),
            setup("ruby", "3.3"),
            setup("python", "3.12"),
            run("echo {{ matrix.os }}"),
            { action: { case: "run", value: { command: "Write-Host hi", shell: "pwsh" } } },
            uses("lang/ruby@~1.2"),
            {},
          ],
        }),
      ]),
    );
    expect(res.diagnostics.map((d) => d.code).sort()).toEqual([
      "PROVIDER_GITLAB_EMPTY_STEP",
      "PROVIDER_GITLAB_TOOL_NOT_IN_IMAGE",
      "PROVIDER_GITLAB_UNKNOWN_CACHE",
      "PROVIDER_GITLAB_UNKNOWN_MATRIX_AXIS",
      "PROVIDER_GITLAB_UNKNOWN_TOOL",
      "PROVIDER_GITLAB_UNRESOLVED_MODULE",
      "PROVIDER_GITLAB_UNSUPPORTED_CONDITION",
      "PROVIDER_GITLAB_UNSUPPORTED_SHELL",
    ]);
    for (const d of res.diagnostics) expect([d.title !== "", d.fixHint !== "", d.resourceId]).toEqual([true, true, "job:a"]);
  });

  it("reports one problem once for all variants, a health check nobody waits for, too many caches", async () => {
    const caches = ["c1", "c2", "c3", "c4", "c5"].map((name) => ({ name, paths: [name], keyParts: ["v1"] }));
    const res = await harness.generate(
      request(
        variants("t", [{ n: "1" }, { n: "2" }], {
          caches: caches.map((c) => c.name),
          services: [{ name: "db", image: "db:1", health: { command: "ready" } }],
          steps: [uses("actions/cache@v4", { loc })],
        }),
        { caches },
      ),
    );
    expect(res.diagnostics.map((d) => d.code)).toEqual([
      "PROVIDER_GITLAB_FOREIGN_STEP",
      "PROVIDER_GITLAB_HEALTH_CHECK",
      "PROVIDER_GITLAB_TOO_MANY_CACHES",
    ]);
    expect(res.diagnostics[2]?.message).toContain("c5");
  });

  it("renames reserved job names, reports bad and unusual output paths, no jobs and a wrong target", async () => {
    const { pl, codes } = await generateValid(
      request(
        [job("image", { steps: [run("make")] }), job("variables", { steps: [run("make")] })],
        {},
        {
          outputs: [
            { provider: "gitlab", path: "../outside.yml" },
            { provider: "gitlab", path: "ci/gitlab.yml" },
          ],
        },
      ),
    );
    expect(Object.keys(pl).slice(2)).toEqual(["image-job", "variables-job"]);
    expect(codes).toEqual(["PROVIDER_GITLAB_BAD_OUTPUT_PATH", "PROVIDER_GITLAB_OUTPUT_NOT_DEFAULT"]);
    expect((await harness.generate(request([]))).diagnostics.map((d) => d.code)).toEqual(["PROVIDER_GITLAB_NO_JOBS"]);
    expect((await harness.generate({ ...request([]), target: "github" })).diagnostics.map((d) => d.code)).toEqual([
      "PROVIDER_GITLAB_WRONG_TARGET",
    ]);
  });

  it("validate checks merged files for YAML, stages, needs and script", async () => {
    const file = (content: string) => ({ path: ".gitlab-ci.yml", content, strategy: MergeStrategy.REPLACE });
    const bad = "stages: [a]\nx:\n  stage: b\n  needs: [ghost]\n  image: node\n";
    const res = await harness.validate({ rendered: [file(bad), { path: "other.yml", content: "[", strategy: MergeStrategy.REPLACE }] });
    expect(res.diagnostics.map((d) => d.code)).toEqual([
      "PROVIDER_GITLAB_UNKNOWN_STAGE",
      "PROVIDER_GITLAB_UNKNOWN_NEED",
      "PROVIDER_GITLAB_NO_SCRIPT",
    ]);
    expect((await harness.validate({ rendered: [file("a: [")] })).diagnostics.map((d) => d.code)).toEqual(["PROVIDER_GITLAB_INVALID_YAML"]);
    const gen = await harness.generate(request([job("a", { steps: [run("make")] })]));
    expect((await harness.validate({ rendered: gen.fragments })).diagnostics).toEqual([]);
  });

  it("advertises itself as provider/gitlab", () => {
    expect(harness.info()).toMatchObject({ name: "provider/gitlab", version: "0.1.0", capabilities: ["provider:gitlab"] });
  });
});
