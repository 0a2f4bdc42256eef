import { describe, expect, it } from "vitest";
import { generateValid, lintRenderedAfterAll } from "./generate-valid.js";
import { readSkipMachinery } from "./parse-jenkins.js";
import { job, LINUX, request, run, setup, variants } from "./request-builders.js";

lintRenderedAfterAll();

// [signatures] as the core fills it, and a project whose default runner is a labelled agent.
const SCHEMA = {
  project: { name: "demo", defaultRunner: "linux" },
  runners: [LINUX],
  signatures: { command: "pnpm exec cig", forceEnv: "CIG_FORCE", salt: "", storeDir: ".cig/passes" },
};

// setup always runs; test (two cells) and docs are skippable; deploy never skips and comes last.
const GRAPH = [
  job("setup", { steps: [run("./bin/setup")] }),
  ...variants("test", [{ shard: "1" }, { shard: "2" }], {
    needs: ["job:setup"],
    skippable: true,
    steps: [run("./bin/test {{ matrix.shard }}")],
  }),
  job("docs", { needs: ["job:test-shard1", "job:test-shard2"], skippable: true, steps: [run("./bin/docs")] }),
  job("deploy", { needs: ["job:docs"], neverSkip: true, condition: "branch == 'main'", steps: [run("./bin/deploy")] }),
];

const unskippable = (graph: typeof GRAPH) =>
  graph.map((r) => (r.spec?.case === "job" ? { ...r, spec: { case: "job" as const, value: { ...r.spec.value, skippable: false } } } : r));

describe("provider/jenkins: skipping unchanged jobs", () => {
  it("renders nothing new without a skippable job (Rule 0), whatever [signatures] and decisions say", async () => {
    const plain = (await generateValid(request(unskippable(GRAPH)))).text;
    const withSettings = await generateValid(
      request(unskippable(GRAPH), SCHEMA, { decisions: { jobs: { "job:docs": { shouldRun: false, reason: "unchanged" } } } }),
    );
    // The same bytes as without [signatures] and decisions: Jenkins decides at run time, never from `decisions`.
    expect(withSettings.text).toBe(plain);
    expect(withSettings.codes).toEqual([]);
    expect(plain).not.toMatch(/cigRun|cigSig|cig signatures|CIG_FORCE/);
    expect(readSkipMachinery(plain)).toEqual({ preamble: [], computeScript: undefined, checked: [], recorded: {} });
  });

  it("writes the maps, the signatures stage, the force parameter, and when/post on the skippable stages, byte for byte", async () => {
    const { text, codes } = await generateValid(
      request(
        [job("lint", { steps: [run("make lint")] }), job("build", { needs: ["job:lint"], skippable: true, steps: [run("make")] })],
        SCHEMA,
      ),
    );
    expect(codes).toEqual([]);
    expect(text).toBe(
      [
        "// cig: filled by the 'cig signatures' stage, per job variant: 'run' or 'skip', and the work signature to record after a pass",
        "@groovy.transform.Field def cigRun = [:]",
        "@groovy.transform.Field def cigSig = [:]",
        "",
        "pipeline {",
        "    agent none",
        "    options {",
        "        skipDefaultCheckout()",
        "    }",
        "    parameters {",
        "        string(name: 'CIG_FORCE', defaultValue: '', description: 'cig: run skippable stages anyway: 1, true or all for every job, or a comma list of job or variant ids')",
        "    }",
        "    stages {",
        "        stage('cig signatures') {",
        "            agent {",
        "                label 'linux'",
        "            }",
        "            steps {",
        "                checkout scm",
        "                script {",
        "                    String lines = sh(label: 'cig compute-signatures', returnStdout: true, script: 'pnpm exec cig compute-signatures --lines')",
        "                    for (String line : lines.split('\\n')) {",
        "                        String[] fields = line.trim().split(' ')",
        "                        if (fields.size() == 3 && (fields[1] == 'run' || fields[1] == 'skip')) {",
        "                            cigRun[fields[0]] = fields[1]",
        "                            cigSig[fields[0]] = fields[2]",
        "                        }",
        "                    }",
        "                }",
        "            }",
        "        }",
        "        stage('lint') {",
        "            agent any",
        "            steps {",
        "                checkout scm",
        "                sh 'make lint'",
        "            }",
        "        }",
        "        stage('build') {",
        "            // cig: needs lint",
        "            agent any",
        "            when {",
        "                beforeAgent true",
        "                expression { return cigRun['build'] != 'skip' }",
        "            }",
        "            steps {",
        "                checkout scm",
        "                sh 'make'",
        "            }",
        "            post {",
        "                success {",
        "                    script {",
        "                        if (cigSig['build']) {",
        "                            withEnv(['CIG_SIG=' + cigSig['build']]) {",
        "                                // cig: provider step",
        `                                int cigStatus = sh(label: 'cig record-pass', returnStatus: true, script: 'pnpm exec cig record-pass build --signature "$CIG_SIG"')`,
        "                                if (cigStatus != 0) {",
        "                                    echo('cig: warning: could not record the pass of stage build (cig record-pass exited ' + cigStatus + '); it runs again next build')",
        "                                }",
        "                            }",
        "                        }",
        "                    }",
        "                }",
        "            }",
        "        }",
        "    }",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("checks and records exactly the skippable stages, per variant, and reads back the planned graph", async () => {
    const { text, jobs, codes } = await generateValid(request(GRAPH, SCHEMA));
    expect(codes).toEqual([]);
    const machinery = readSkipMachinery(text);
    expect(machinery.preamble).toEqual([
      "@ groovy . transform . Field def cigRun = [ : ]",
      "@ groovy . transform . Field def cigSig = [ : ]",
    ]);
    expect(machinery.computeScript).toBe("pnpm exec cig compute-signatures --lines");
    expect(machinery.checked).toEqual(["docs", "test-shard1", "test-shard2"]);
    expect(machinery.recorded).toEqual({
      docs: 'pnpm exec cig record-pass docs --signature "$CIG_SIG"',
      "test-shard1": 'pnpm exec cig record-pass test-shard1 --signature "$CIG_SIG"',
      "test-shard2": 'pnpm exec cig record-pass test-shard2 --signature "$CIG_SIG"',
    });
    // The signatures stage comes first; the machinery changes nothing the user's graph means.
    expect([...text.matchAll(/stage\('([^']+)'\)/g)].map((m) => m[1])?.[0]).toBe("cig signatures");
    expect(jobs).toEqual((await generateValid(request(unskippable(GRAPH)))).jobs);
    // deploy, downstream of skippable stages, keeps only its own condition: a skipped stage never stops a later one.
    expect(jobs.find((j) => j.id === "deploy")?.condition).toBe("branch == 'main'");
    expect(text).toContain("            when {\n                beforeAgent true\n                branch 'main'\n            }\n");
  });

  it("ANDs the skip check with the job's condition, a jenkins table's when, and a native condition left out", async () => {
    const { text, jobs, codes } = await generateValid(
      request(
        [
          job("portable", { skippable: true, condition: "branch == 'main' && event != 'pull_request'", steps: [run("a")] }),
          job("table", { skippable: true, passthrough: { jenkins: { when: { branch: "main", beforeAgent: false } } }, steps: [run("b")] }),
          job("native", { skippable: true, condition: "github.event_name == 'push'", steps: [run("c")] }),
        ],
        SCHEMA,
      ),
    );
    expect(codes).toEqual(["PROVIDER_JENKINS_NATIVE_CONDITION"]);
    // A stage's when inside the parallel level: the block at 20 spaces, its lines at 24.
    const when = (...lines: string[]) => ["when {", ...lines.map((l) => `    ${l}`), "}"].map((l) => `${" ".repeat(20)}${l}\n`).join("");
    const skipCheck = (id: string) => `expression { return cigRun['${id}'] != 'skip' }`;
    expect(text).toContain(when("beforeAgent true", "branch 'main'", "not {", "    changeRequest()", "}", skipCheck("portable")));
    // The table's own beforeAgent wins; the check is added after its conditions.
    expect(text).toContain(when("beforeAgent false", "branch 'main'", skipCheck("table")));
    expect(text).toContain(when("beforeAgent true", skipCheck("native")));
    expect(jobs.map((j) => [j.id, j.condition])).toEqual([
      ["native", ""],
      ["portable", "branch == 'main' && event != 'pull_request'"],
      ["table", "branch == 'main'"],
    ]);
    expect(readSkipMachinery(text).checked).toEqual(["native", "portable", "table"]);
  });

  it("records after the stage's own success steps, with the stage's tools, and quotes ids the shell would split", async () => {
    const { text, codes } = await generateValid(
      request(
        [
          job("notify", {
            skippable: true,
            runner: LINUX,
            passthrough: { jenkins: { post: { success: { echo: "done" } } } },
            steps: [setup("node", "20"), run("npm test")],
          }),
          job("odd id", { skippable: true, steps: [run("true")] }),
        ],
        SCHEMA,
      ),
    );
    expect(codes).toEqual([]);
    expect(text).toMatch(
      /success \{\n {28}withEnv\(\["MISE_DATA_DIR=[^\n]*\n {32}echo\('done'\)\n {32}script \{\n {36}if \(cigSig\['notify'\]\) \{/,
    );
    expect(readSkipMachinery(text).recorded["odd id"]).toBe(`pnpm exec cig record-pass 'odd id' --signature "$CIG_SIG"`);
  });

  it("never fails a green build on a failed record: the status is kept and a warning names the stage", async () => {
    const { text } = await generateValid(request([job("odd id", { skippable: true, steps: [run("true")] })], SCHEMA));
    const record = text.slice(text.indexOf("// cig: provider step"), text.indexOf("\n", text.indexOf("echo('cig: warning")) + 1);
    expect(record.split("\n").map((l) => l.trim())).toEqual([
      "// cig: provider step",
      `int cigStatus = sh(label: 'cig record-pass', returnStatus: true, script: 'pnpm exec cig record-pass \\'odd id\\' --signature "$CIG_SIG"')`,
      "if (cigStatus != 0) {",
      "echo('cig: warning: could not record the pass of stage odd id (cig record-pass exited ' + cigStatus + '); it runs again next build')",
      "",
    ]);
    // Every `sh` of the machinery returns its output or its status: none can fail the stage it runs in.
    const calls = [...text.matchAll(/\bsh\((label: 'cig [^']+'), ([a-zA-Z]+): true/g)].map((m) => [m[1], m[2]]);
    expect(calls).toEqual([
      ["label: 'cig compute-signatures'", "returnStdout"],
      ["label: 'cig record-pass'", "returnStatus"],
    ]);
  });

  it("declares the maps as fields, as Declarative's script splitting accepts no top-level local variable", async () => {
    const { text } = await generateValid(request(GRAPH, SCHEMA));
    const statements = readSkipMachinery(text).preamble;
    expect(statements).toHaveLength(2);
    for (const s of statements) expect(s).toMatch(/^@ groovy \. transform \. Field def cig(Run|Sig) = \[ : \]$/);
    const beforePipeline = text.slice(0, text.indexOf("pipeline {")).split("\n");
    expect(beforePipeline.filter((l) => l !== "" && !l.startsWith("//") && !l.startsWith("@groovy.transform.Field "))).toEqual([]);
  });

  it("runs the signatures stage on the default runner's agent, else any, and declares the force variable once", async () => {
    const dockerRunner = { name: "ci", providers: { jenkins: { docker: { image: "node:20" } } } };
    const onDocker = await generateValid(
      request([job("a", { skippable: true, steps: [run("a")] })], {
        ...SCHEMA,
        project: { name: "demo", defaultRunner: "ci" },
        runners: [dockerRunner],
        signatures: { command: "cig", forceEnv: "RUN_ALL", salt: "", storeDir: "/srv/cig-passes" },
        workflow: { triggers: [{ kind: { case: "manual", value: { inputs: { RUN_ALL: "Run every job" } } } }] },
      }),
    );
    expect(onDocker.text).toContain(
      "        stage('cig signatures') {\n            agent {\n                docker {\n                    image 'node:20'\n",
    );
    expect(onDocker.text).toContain(
      "    parameters {\n        string(name: 'RUN_ALL', defaultValue: '', description: 'Run every job')\n    }\n",
    );
    const anywhere = await generateValid(request([job("a", { skippable: true, steps: [run("a")] })]));
    expect(anywhere.text).toContain("        stage('cig signatures') {\n            agent any\n");
    // Without [signatures] in the request (hand-written requests), the command is `cig` and the variable CIG_FORCE.
    expect(readSkipMachinery(anywhere.text).computeScript).toBe("cig compute-signatures --lines");
    expect(anywhere.text).toContain("string(name: 'CIG_FORCE', defaultValue: ''");
  });
});
