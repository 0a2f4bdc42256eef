import { create } from "@bufbuild/protobuf";
import { Diagnostic_Level, OutputSchema, SourceLocationSchema, type Step, StepSchema } from "@cig/proto";
import { describe, expect, it } from "vitest";
import type { Diag } from "../src/index.js";
import {
  effectiveStep,
  emptyStepDiag,
  errorDiag,
  isCacheKeyFile,
  isModuleRef,
  isRepoRelativePath,
  outputPaths,
  providerCode,
  runStep,
  usesStep,
  warningDiag,
  wrongTargetDiag,
} from "../src/index.js";

const step = (init: Parameters<typeof create<typeof StepSchema>>[1]): Step => create(StepSchema, init);

describe("effectiveStep", () => {
  const original = step({
    ...runStep("make", {
      name: "Build",
      id: "build",
      condition: "branch == 'main'",
      env: { A: "1", B: "2" },
      timeoutMinutes: 5,
      passthrough: { github: { "continue-on-error": true, with: { x: "1", y: "2" } } },
    }),
    providerOverrides: [
      { provider: "gitlab", step: runStep("gmake") },
      { provider: "github", step: { ...usesStep("acme/build@v1"), env: { B: "3" }, passthrough: { github: { with: { y: "9" } } } } },
    ],
  });

  it("returns the step itself when it has no override for the provider", () => {
    expect(effectiveStep(original, "jenkins")).toBe(original);
  });

  it("takes the override's action and keeps the original's fields the override leaves empty", () => {
    const s = effectiveStep(original, "github");
    expect(s.action).toEqual(original.providerOverrides[1]?.step?.action);
    expect([s.name, s.id, s.condition, s.timeoutMinutes]).toEqual(["Build", "build", "branch == 'main'", 5]);
    expect(s.env).toEqual({ A: "1", B: "3" });
  });

  it("deep-merges the provider's tables by default, keys sorted, and leaves other tables alone", () => {
    const s = effectiveStep(original, "github");
    expect(JSON.stringify(s.passthrough.github)).toBe('{"continue-on-error":true,"with":{"x":"1","y":"9"}}');
    const shallow = effectiveStep(original, "github", (a, b) => ({ ...a, ...b }));
    expect(shallow.passthrough.github).toEqual({ "continue-on-error": true, with: { y: "9" } });
    expect(effectiveStep(original, "gitlab").passthrough.github).toBe(original.passthrough.github);
  });
});

describe("isModuleRef", () => {
  it("tells cig modules (no version, or a range) from platform actions", () => {
    for (const m of ["lang/ruby", "lang/node@~1.2", "x/y@^2", "x/y@>=1.1", "x/y@1.x", "x/y@*"])
      expect([m, isModuleRef(m)]).toEqual([m, true]);
    for (const a of ["actions/checkout@v4", "a/b@1.2.3", "a/b@main", "./local", "docker://alpine:3"])
      expect([a, isModuleRef(a)]).toEqual([a, false]);
  });
});

describe("diagnostics", () => {
  it("sets resource and location only when known", () => {
    const loc = create(SourceLocationSchema, { path: "cig.toml", line: 3, column: 1 });
    expect(errorDiag("C", "t", "m", "f", { resourceId: "job:a", loc })).toMatchObject({
      level: Diagnostic_Level.ERROR,
      resourceId: "job:a",
      loc,
    });
    const bare = warningDiag("C", "t", "m", "f", { resourceId: "", loc: create(SourceLocationSchema) });
    expect(bare.level).toBe(Diagnostic_Level.WARNING);
    expect("resourceId" in bare || "loc" in bare).toBe(false);
  });

  it("builds provider codes, wrong-target and empty-step diagnostics", () => {
    expect(providerCode("github", "X")).toBe("PROVIDER_GITHUB_X");
    expect(wrongTargetDiag("", "github", "GitHub Actions")).toBeUndefined();
    expect(wrongTargetDiag("github", "github", "GitHub Actions")).toBeUndefined();
    expect(wrongTargetDiag("gitlab", "github", "GitHub Actions")).toMatchObject({
      code: "PROVIDER_GITHUB_WRONG_TARGET",
      message: 'provider/github renders GitHub Actions only; the core sent target "gitlab".',
    });
    expect(emptyStepDiag("jenkins", { resourceId: "job:a", loc: undefined })).toMatchObject({
      code: "PROVIDER_JENKINS_EMPTY_STEP",
      resourceId: "job:a",
    });
  });
});

describe("outputPaths", () => {
  const outputs = (...specs: Array<[string, string]>) => specs.map(([provider, path]) => create(OutputSchema, { provider, path }));
  const options = { provider: "acme", defaultPath: "acme.yml" };

  it("uses the default path without an output of the provider, or for an output without a path", () => {
    const diags: Diag[] = [];
    expect(outputPaths(outputs(["other", "x.yml"]), options, diags)).toEqual(["acme.yml"]);
    expect(outputPaths(outputs(["acme", ""], ["", "b.yml"], ["acme", "b.yml"]), options, diags)).toEqual(["acme.yml", "b.yml"]);
    expect(diags).toEqual([]);
  });

  it("skips paths outside the repository and runs the provider's check on the others", () => {
    const diags: Diag[] = [];
    const check = (path: string) => (path === "acme.yml" ? undefined : warningDiag("PROVIDER_ACME_ODD", path, "", ""));
    const paths = outputPaths(
      outputs(["acme", "/abs"], ["acme", "../up"], ["acme", "C:x"], ["acme", "a\\b"], ["acme", "ok/x.yml"]),
      { ...options, check },
      diags,
    );
    expect(paths).toEqual(["ok/x.yml"]);
    expect(diags.map((d) => [d.code, d.title])).toEqual([
      ["PROVIDER_ACME_BAD_OUTPUT_PATH", "Output path /abs is not inside the repository"],
      ["PROVIDER_ACME_BAD_OUTPUT_PATH", "Output path ../up is not inside the repository"],
      ["PROVIDER_ACME_BAD_OUTPUT_PATH", "Output path C:x is not inside the repository"],
      ["PROVIDER_ACME_BAD_OUTPUT_PATH", "Output path a\\b is not inside the repository"],
      ["PROVIDER_ACME_ODD", "ok/x.yml"],
    ]);
    expect(diags[0]?.fixHint).toBe('Use a path such as "acme.yml".');
    expect(isRepoRelativePath("a/..b/c")).toBe(true);
  });
});

describe("isCacheKeyFile", () => {
  it("hashes paths, globs, dotfiles and files with extensions; keeps literals literal", () => {
    expect(
      ["Gemfile.lock", "**/package-lock.json", ".nvmrc", "go.sum", "dir/", "{{ matrix.os }}.lock"].map((p) => isCacheKeyFile(p)),
    ).toEqual([true, true, true, true, true, true]);
    expect(["ruby:3.3", "v2", "3.3", "node {{ v }}", "a=b", "x..y"].map((p) => isCacheKeyFile(p))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("treats parts with a provider's literal markers as literal", () => {
    expect(isCacheKeyFile("dir/<<os>>")).toBe(true);
    expect(isCacheKeyFile("dir/<<os>>", ["<<"])).toBe(false);
  });
});
