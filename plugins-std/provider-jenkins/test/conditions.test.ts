// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} here is GitHub expression syntax (a native condition), not a JS template.
import { describe, expect, it } from "vitest";
import { generateValid, lintRenderedAfterAll } from "./generate-valid.js";
import { job, request, run, uses } from "./request-builders.js";

lintRenderedAfterAll();

/** The text without indentation, for checks that should not depend on how deep a stage sits. */
const flat = (text: string) => text.replace(/^ +/gm, "");

// Portable job conditions → when, and back through the parser to the same formatted condition.
const CASES: Array<[string, string, string]> = [
  ["branch == 'main'", "branch 'main'", "branch == 'main'"],
  ["branch != 'main'", "not {\nbranch 'main'\n}", "branch != 'main'"],
  ["tag == 'v*'", "tag 'v*'", "tag == 'v*'"],
  ["branch == 'feat**'", "branch pattern: 'feat.*', comparator: 'REGEXP'", "branch == 'feat**'"],
  ["branch == 'release/**' && event == 'push'", "branch 'release/**'\nallOf {", "branch == 'release/**' && event == 'push'"],
  [
    "event == 'pull_request' || event == 'schedule'",
    "anyOf {\nchangeRequest()\ntriggeredBy 'TimerTrigger'",
    "event == 'pull_request' || event == 'schedule'",
  ],
  ["event == 'manual'", "triggeredBy cause: 'UserIdCause'", "event == 'manual'"],
  ["!(tag == 'v1' || branch == 'a?b')", "not {\nanyOf {", "!(tag == 'v1' || branch == 'a?b')"],
  ['branch == "it\'s"', "branch 'it\\'s'", "branch == 'it''s'"],
];

describe("provider/jenkins: conditions", () => {
  it("translates portable job conditions into when blocks that read back the same", async () => {
    const graph = CASES.map(([cond], i) => job(`j${i}`, { condition: cond, steps: [run("true")] }));
    const { text, jobs, codes } = await generateValid(request(graph));
    expect(codes).toEqual([]);
    CASES.forEach(([, when, back], i) => {
      const stage = flat(text).slice(flat(text).indexOf(`stage('j${i}')`));
      expect(stage.slice(0, stage.indexOf("steps {"))).toContain(`when {\nbeforeAgent true\n${when}`);
      expect(jobs.find((j) => j.id === `j${i}`)?.condition).toBe(back);
    });
  });

  it("puts status-conditioned steps into post blocks, in Jenkins' order, guarded by the rest", async () => {
    const { text, jobs, codes } = await generateValid(
      request([
        job("a", {
          steps: [
            run("make"),
            run("notify", { condition: "failure() && branch == 'main'" }),
            run("cleanup", { condition: "always()" }),
            run("only main", { condition: "branch == 'main' && success()" }),
          ],
        }),
      ]),
    );
    expect(codes).toEqual(["PROVIDER_JENKINS_STEP_REORDERED"]);
    expect(text).toContain("script {\n                    if (env.BRANCH_NAME == 'main') {\n                        sh 'only main'");
    expect(text).toContain(
      "            post {\n                always {\n                    sh 'cleanup'\n                }\n                failure {\n                    script {\n                        if (env.BRANCH_NAME == 'main') {\n                            sh 'notify'",
    );
    expect(jobs[0]?.commands).toEqual(["make", "only main", "cleanup", "notify"]);
  });

  it("reports native conditions unless a jenkins table sets the equivalent, and status functions Jenkins cannot place", async () => {
    const { text, codes, res } = await generateValid(
      request([
        job("deploy", { condition: "github.ref == 'refs/heads/main'", steps: [run("deploy")] }),
        job("ok", {
          condition: "github.ref == 'refs/heads/main'",
          passthrough: { jenkins: { when: { branch: "main" } } },
          steps: [run("deploy")],
        }),
        job("steps", {
          steps: [
            run("a", { condition: "${{ always() }}" }),
            run("b", { condition: "${{ always() }}", passthrough: { jenkins: { post: "always" } } }),
            run("c", { condition: "failure() || branch == 'x'" }),
            uses("actions/upload-artifact@v4", { path: "x" }, { condition: "${{ always() }}" }),
          ],
        }),
      ]),
    );
    expect(codes).toEqual([
      "PROVIDER_JENKINS_NATIVE_CONDITION",
      "PROVIDER_JENKINS_NATIVE_CONDITION",
      "PROVIDER_JENKINS_UNSUPPORTED_CONDITION",
      "PROVIDER_JENKINS_FOREIGN_STEP",
      "PROVIDER_JENKINS_STEP_REORDERED",
    ]);
    expect(res.diagnostics[0]).toMatchObject({ resourceId: "job:deploy" });
    expect(res.diagnostics[0]?.fixHint).toContain("when");
    expect(flat(text)).toContain("stage('ok') {\nagent any\nwhen {\nbeforeAgent true\nbranch 'main'\n}");
  });

  it("renders status functions on a job as result expressions, with a warning", async () => {
    const { text, jobs, codes } = await generateValid(request([job("report", { condition: "always()", steps: [run("report")] })]));
    expect(codes).toEqual(["PROVIDER_JENKINS_JOB_STATUS_CONDITION"]);
    expect(text).toContain("expression { return true }");
    expect(jobs[0]?.condition).toBe("always()");
  });
});
