// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is shell/Groovy text that must stay inert, not a JS template.
import { Fragment_Format, MergeStrategy } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateValid, harness, lintRenderedAfterAll } from "./generate-valid.js";
import { job, LINUX, request, run, variants } from "./request-builders.js";

lintRenderedAfterAll();

describe("provider/jenkins: the pipeline", () => {
  it("renders a one-job pipeline, byte for byte", async () => {
    const { res, text } = await generateValid(
      request([job("test", { steps: [run("npm ci"), run("npm test\nnpm run lint", { name: "Test" })] })]),
    );
    expect(res.diagnostics).toEqual([]);
    expect(res.fragments).toHaveLength(1);
    expect(res.fragments[0]).toMatchObject({ path: "Jenkinsfile", strategy: MergeStrategy.REPLACE, format: Fragment_Format.GROOVY });
    expect(text).toBe(
      [
        "pipeline {",
        "    agent none",
        "    options {",
        "        skipDefaultCheckout()",
        "    }",
        "    stages {",
        "        stage('test') {",
        "            agent any",
        "            steps {",
        "                checkout scm",
        "                sh 'npm ci'",
        "                sh(label: 'Test', script: '''npm test",
        "npm run lint''')",
        "            }",
        "        }",
        "    }",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("runs jobs in topological levels, parallel within a level, and records the exact needs", async () => {
    const { text, jobs } = await generateValid(
      request([
        job("setup", { steps: [run("make deps")] }),
        job("lint", { needs: ["job:setup"], steps: [run("make lint")] }),
        ...variants("test", [{ ruby: "3.2" }, { ruby: "3.10" }], { needs: ["job:setup"], steps: [run("rspec --ruby {{ matrix.ruby }}")] }),
        job("deploy", { needs: ["job:lint", "job:test-ruby3.2", "job:test-ruby3.10"], steps: [run("make deploy")] }),
      ]),
    );
    // setup alone, then lint beside both test cells (natural order: 3.2 before 3.10), then deploy.
    expect([...text.matchAll(/stage\('([^']+)'\)/g)].map((m) => m[1])).toEqual([
      "setup",
      "level 2",
      "lint",
      "test-ruby3.2",
      "test-ruby3.10",
      "deploy",
    ]);
    expect(text).toContain("        stage('level 2') {\n            parallel {\n");
    expect(jobs).toEqual([
      {
        id: "deploy",
        needs: ["lint", "test-ruby3.10", "test-ruby3.2"],
        commands: ["make deploy"],
        matrix: {},
        services: [],
        condition: "",
      },
      { id: "lint", needs: ["setup"], commands: ["make lint"], matrix: {}, services: [], condition: "" },
      { id: "setup", needs: [], commands: ["make deps"], matrix: {}, services: [], condition: "" },
      { id: "test-ruby3.10", needs: ["setup"], commands: ["rspec --ruby 3.10"], matrix: { ruby: "3.10" }, services: [], condition: "" },
      { id: "test-ruby3.2", needs: ["setup"], commands: ["rspec --ruby 3.2"], matrix: { ruby: "3.2" }, services: [], condition: "" },
    ]);
  });

  it("renders schedules, manual inputs, concurrency and env; push and pull requests as a comment", async () => {
    const { text, codes } = await generateValid(
      request([job("test", { steps: [run("make test")] })], {
        workflow: {
          triggers: [
            { kind: { case: "push", value: { branches: ["main", "release/*"], tags: ["v*"] } } },
            { kind: { case: "pullRequest", value: {} } },
            { kind: { case: "schedule", value: { cron: "0 3 * * 1" } } },
            { kind: { case: "schedule", value: { cron: "30 12 * * *" } } },
            { kind: { case: "manual", value: { inputs: { reason: "Why run by hand", debug: "Verbose logs?" } } } },
          ],
          permissions: { contents: "read" },
          concurrency: { group: "ci", cancelInProgress: true },
          env: { TZ: "UTC", GREETING: "it's ${HOME}" },
        },
      }),
    );
    expect(codes).toEqual([]);
    expect(text).toContain(
      "    // cig: push and pull request builds come from the multibranch job's branch sources: " +
        'push {"branches":["main","release/*"],"tags":["v*"]}; pull_request {}\n',
    );
    expect(text).toContain("        disableConcurrentBuilds(abortPrevious: true)\n");
    expect(text).toContain(
      "    parameters {\n        string(name: 'debug', defaultValue: '', description: 'Verbose logs?')\n" +
        "        string(name: 'reason', defaultValue: '', description: 'Why run by hand')\n    }\n",
    );
    expect(text).toContain("    triggers {\n        cron('''TZ=UTC\n0 3 * * 1\n30 12 * * *''')\n    }\n");
    expect(text).toContain("    environment {\n        GREETING = 'it\\'s ${HOME}'\n        TZ = 'UTC'\n    }\n");
  });

  it("writes every jenkins output once and skips paths outside the repository", async () => {
    const { res } = await generateValid(
      request(
        [job("a", { steps: [run("true")] })],
        {},
        {
          outputs: [
            { provider: "jenkins", path: "Jenkinsfile" },
            { provider: "jenkins", path: "ci/nightly.Jenkinsfile" },
            { provider: "jenkins", path: "Jenkinsfile" },
            { provider: "jenkins", path: "../elsewhere/Jenkinsfile" },
          ],
        },
      ),
    );
    expect(res.fragments.map((f) => f.path)).toEqual(["Jenkinsfile", "ci/nightly.Jenkinsfile"]);
    expect(res.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_JENKINS_BAD_OUTPUT_PATH"]);
  });

  it("is byte-identical for the same request, for a permuted graph and for permuted map fields", async () => {
    const graph = [
      job("a", { runner: LINUX, env: { B: "2", A: "1" }, steps: [run("make a")] }),
      job("b", { steps: [run("make b")] }),
      ...variants(
        "t",
        [
          { os: "linux", v: "2" },
          { os: "mac", v: "10" },
        ],
        { needs: ["job:a"], steps: [run("make t")] },
      ),
      job("c", { needs: ["job:b", "job:t-linux-v2", "job:t-mac-v10"], env: { A: "1", B: "2" }, steps: [run("make c")] }),
    ];
    const once = (await generateValid(request(graph))).text;
    const twice = (await generateValid(request(graph))).text;
    const permuted = (await generateValid(request([graph[4], graph[2], graph[1], graph[3], graph[0]] as typeof graph))).text;
    expect(twice).toBe(once);
    expect(permuted).toBe(once);
    expect(once).toContain("environment {\n                        A = '1'\n                        B = '2'\n");
  });

  it("answers an empty request with a warning, and another target with an error", async () => {
    const empty = await harness.generate({});
    expect(empty.fragments).toEqual([]);
    expect(empty.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_JENKINS_NO_JOBS"]);
    const wrong = await harness.generate({ target: "github", graph: [job("x")] as never });
    expect(wrong.fragments).toEqual([]);
    expect(wrong.diagnostics.map((d) => d.code)).toEqual(["PROVIDER_JENKINS_WRONG_TARGET"]);
  });

  it("advertises itself as provider/jenkins", () => {
    expect(harness.info()).toMatchObject({ name: "provider/jenkins", version: "0.1.0", capabilities: ["provider:jenkins"] });
  });
});
