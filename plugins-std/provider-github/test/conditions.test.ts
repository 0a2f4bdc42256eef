// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} here is GitHub expression syntax, not a JS template.
import { describe, expect, it } from "vitest";
import { githubCondition } from "../src/github-condition.js";
import { generateValid } from "./generate-valid.js";
import { job, request, run, uses } from "./request-builders.js";

const translate = (text: string) => {
  const diagnostics: Array<{ code: string }> = [];
  return { expr: githubCondition(text, {}, diagnostics as never), codes: diagnostics.map((d) => d.code) };
};

describe("portable conditions on GitHub", () => {
  it("translates branch, tag and event comparisons and status functions", () => {
    expect(translate("branch == 'main'").expr).toBe("(github.ref_type == 'branch' && (github.head_ref || github.ref_name) == 'main')");
    expect(translate("tag != 'v1'").expr).toBe("!(github.ref_type == 'tag' && github.ref_name == 'v1')");
    expect(translate("event == 'manual' || always()").expr).toBe("github.event_name == 'workflow_dispatch' || always()");
    expect(translate("!(event == 'push' && branch == 'it''s')").expr).toBe(
      "!(github.event_name == 'push' && (github.ref_type == 'branch' && (github.head_ref || github.ref_name) == 'it''s'))",
    );
  });

  it("passes native GitHub expressions as written", () => {
    expect(translate("github.ref == 'refs/heads/main'")).toEqual({ expr: "github.ref == 'refs/heads/main'", codes: [] });
    expect(translate("${{ always() }}")).toEqual({ expr: "${{ always() }}", codes: [] });
  });

  it("tests prefix and suffix globs, warns where * widens, and refuses what GitHub cannot test", () => {
    expect(translate("branch == 'release/**'")).toEqual({
      expr: "(github.ref_type == 'branch' && startsWith((github.head_ref || github.ref_name), 'release/'))",
      codes: [],
    });
    expect(translate("tag == '**-rc'").expr).toContain("endsWith(github.ref_name, '-rc')");
    expect(translate("branch == 'release/*'").codes).toEqual(["PROVIDER_GITHUB_GLOB_WIDENED"]);
    expect(translate("branch == 'a*b'").codes).toEqual(["PROVIDER_GITHUB_UNSUPPORTED_GLOB"]);
  });

  it("renders a valid workflow with portable job and step conditions, and skips steps marked skip on github", async () => {
    const { wf, codes } = await generateValid(
      request([
        job("deploy", {
          condition: "branch == 'main' && event == 'push'",
          steps: [
            run("make deploy"),
            run("make report", { condition: "failure()" }),
            uses("acme/other-ci-only@v1", {}, { passthrough: { github: { skip: true } } }),
          ],
        }),
      ]),
    );
    expect(codes).toEqual([]);
    expect(wf.jobs.deploy.if).toBe(
      "(github.ref_type == 'branch' && (github.head_ref || github.ref_name) == 'main') && github.event_name == 'push'",
    );
    expect(wf.jobs.deploy.steps.map((s: { run?: string; if?: string }) => [s.run, s.if])).toEqual([
      [undefined, undefined],
      ["make deploy", undefined],
      ["make report", "failure()"],
    ]);
  });
});
