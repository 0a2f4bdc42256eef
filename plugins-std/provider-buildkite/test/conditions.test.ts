// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} here is GitHub expression syntax, not a JS template.
import { describe, expect, it } from "vitest";
import { generateValid } from "./generate-valid.js";
import { job, request, run } from "./request-builders.js";

const jobIf = async (condition: string, passthrough = {}) => {
  const { byKey, codes } = await generateValid(request([job("j", { condition, passthrough, steps: [run("true")] })]));
  return { step: byKey.j, codes };
};

describe("provider/buildkite: job conditions", () => {
  it("translates branches, tags and events into exact Buildkite conditionals", async () => {
    expect((await jobIf("branch == 'main'")).step.if).toBe('(build.tag == null && build.branch == "main")');
    expect((await jobIf("branch == 'release/*'")).step.if).toBe("(build.tag == null && build.branch =~ /^release\\/[^\\/]*$$/)");
    expect((await jobIf("tag == 'v**'")).step.if).toBe("build.tag =~ /^v.*$$/");
    expect((await jobIf("tag != 'v1'")).step.if).toBe('!(build.tag == "v1")');
    expect((await jobIf("event == 'push'")).step.if).toBe('(build.source == "webhook" && build.pull_request.id == null)');
    expect((await jobIf("event == 'pull_request' || event == 'schedule'")).step.if).toBe(
      'build.pull_request.id != null || build.source == "schedule"',
    );
    expect((await jobIf("event == 'manual' && !(branch == 'a' || tag == 'b')")).step.if).toBe(
      'build.source == "ui" && !((build.tag == null && build.branch == "a") || build.tag == "b")',
    );
  });

  it("maps always() to allow_dependency_failure and drops success()", async () => {
    const a = await jobIf("always() && branch == 'main'");
    expect(a.codes).toEqual([]);
    expect(a.step.allow_dependency_failure).toBe(true);
    expect(a.step.if).toBe('(build.tag == null && build.branch == "main")');
    const s = await jobIf("success()");
    expect(s.step.if).toBeUndefined();
    expect(s.step.allow_dependency_failure).toBeUndefined();
  });

  it("reports status functions Buildkite cannot express at job level", async () => {
    expect((await jobIf("failure()")).codes).toEqual(["PROVIDER_BUILDKITE_UNSUPPORTED_CONDITION"]);
    expect((await jobIf("always() || branch == 'x'")).codes).toEqual(["PROVIDER_BUILDKITE_UNSUPPORTED_CONDITION"]);
  });

  it("reports native conditions unless the buildkite table sets if, at job and step level", async () => {
    const native = await jobIf("github.ref == 'refs/heads/main'");
    expect(native.codes).toEqual(["PROVIDER_BUILDKITE_NATIVE_CONDITION"]);
    expect(native.step.if).toBeUndefined();
    const own = await jobIf("github.ref == 'refs/heads/main'", { buildkite: { if: 'build.branch == "main"' } });
    expect(own.codes).toEqual([]);
    expect(own.step.if).toBe('build.branch == "main"');
    const { byKey, codes } = await generateValid(
      request([
        job("s", {
          steps: [
            run("a", { condition: "${{ always() }}" }),
            run("b", { condition: "${{ always() }}", passthrough: { buildkite: { if: "true" } } }),
          ],
        }),
      ]),
    );
    expect(codes).toEqual(["PROVIDER_BUILDKITE_NATIVE_CONDITION"]);
    expect(byKey.s.commands[2].split("\n")[1]).toBe("if true; then (");
    expect(byKey.s.if).toBeUndefined();
  });

  it("binds matrix values in conditions before translating them", async () => {
    const { byKey } = await generateValid(
      request([job("m-osa", { jobId: "m", matrix: { os: "a" }, condition: "branch == '{{ matrix.os }}'", steps: [run("true")] })]),
    );
    expect(byKey["m-osa"].if).toBe('(build.tag == null && build.branch == "a")');
  });
});
