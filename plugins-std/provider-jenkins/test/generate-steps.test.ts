import { CacheAction_Operation } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateValid, lintRenderedAfterAll } from "./generate-valid.js";
import { job, LINUX, request, run, setup, uses, variants } from "./request-builders.js";

lintRenderedAfterAll();

/** The text without indentation, for checks that should not depend on how deep a stage sits. */
const flat = (text: string) => text.replace(/^ +/gm, "");

const cacheStep = (name: string, operation = CacheAction_Operation.RESTORE_AND_SAVE) => ({
  action: { case: "cache" as const, value: { name, operation } },
});

describe("provider/jenkins: steps, tools, services and caches", () => {
  it("keeps env, working_directory, timeout, continue_on_error and shells, wrapped in that order", async () => {
    const { text, jobs, codes } = await generateValid(
      request([
        job("test", {
          steps: [
            run("npm test", {
              name: "Unit",
              env: { NODE_ENV: "test", CI: "true" },
              workingDirectory: "web",
              timeoutMinutes: 15,
              continueOnError: true,
            }),
            { action: { case: "run", value: { command: "echo $BASH_VERSION", shell: "bash" } } },
            { action: { case: "run", value: { command: "Write-Host hi", shell: "pwsh" } } },
            { action: { case: "run", value: { command: "dir", shell: "cmd" } } },
          ],
        }),
      ]),
    );
    expect(codes).toEqual([]);
    expect(text).toContain(
      [
        "                catchError(buildResult: 'SUCCESS', stageResult: 'UNSTABLE') {",
        "                    timeout(time: 15, unit: 'MINUTES') {",
        "                        dir('web') {",
        "                            withEnv(['CI=true', 'NODE_ENV=test']) {",
        "                                sh(label: 'Unit', script: 'npm test')",
      ].join("\n"),
    );
    expect(text).toContain("                // cig: shell prefix\n                sh '''#!/bin/bash -e\necho $BASH_VERSION'''\n");
    expect(text).toContain("                pwsh 'Write-Host hi'\n                bat 'dir'\n");
    expect(jobs[0]?.commands).toEqual(["npm test", "echo $BASH_VERSION", "Write-Host hi", "dir"]);
  });

  it("takes the first tool's official image as the agent and installs the others with mise", async () => {
    const {
      text: indented,
      jobs,
      codes,
    } = await generateValid(
      request([
        job("web", { steps: [setup("pnpm", "9.1.0"), setup("node", "lts/*", "pnpm"), run("pnpm install --frozen-lockfile")] }),
        job("gem", { steps: [setup("ruby", "3.3", "bundler"), run("bundle exec rake")] }),
        job("py", { steps: [setup("python", "3.x"), setup("go", "stable")] }),
        job("labelled", { runner: LINUX, steps: [setup("node", "20"), run("node -v")] }),
      ]),
    );
    expect(codes).toEqual([]);
    const text = flat(indented);
    expect(text).toContain("stage('web') {\nagent {\ndocker {\nimage 'node:lts'\n");
    expect(text).toContain("image 'ruby:3.3'");
    expect(text).toContain("image 'python:3'");
    expect(text).toContain(
      `withEnv(["MISE_DATA_DIR=\${env.WORKSPACE}/.cig/mise", "PATH+MISE=\${env.WORKSPACE}/.cig/mise/shims", 'MISE_PNPM_VERSION=9.1.0'])`,
    );
    expect(text).toContain("'MISE_GO_VERSION=latest'");
    // A label runner chooses the machine: no image, the tool comes from mise.
    expect(text).toContain("stage('labelled') {\nagent {\nlabel 'linux'\n}\n");
    expect(text).toContain("'MISE_NODE_VERSION=20'");
    // setup-ruby's bundler cache installs the bundle; so does the provider's setup step.
    expect(text).toContain(
      "sh(label: 'Set up Ruby', script: '''ruby --version\nbundle config set --local path vendor/bundle\nbundle install''')",
    );
    // Provider setup steps are marked, and not read back as commands.
    expect(jobs.map((j) => [j.id, j.commands])).toEqual([
      ["gem", ["bundle exec rake"]],
      ["labelled", ["node -v"]],
      ["py", []],
      ["web", ["pnpm install --frozen-lockfile"]],
    ]);
  });

  it("runs services as a pod with health checks and the build image inside it", async () => {
    const { text, jobs, codes } = await generateValid(
      request([
        job("test", {
          env: { DATABASE_URL: "postgres://postgres:postgres@localhost:5432/test" },
          services: [
            { name: "redis", image: "redis:7", ports: ["6379:6379"], health: { command: "redis-cli ping" } },
            {
              name: "postgres",
              image: "postgres:16",
              env: { POSTGRES_PASSWORD: 'pa ss"word' },
              ports: ["5432:5432"],
              health: { command: "pg_isready -U postgres", intervalSeconds: 2 },
              passthrough: { jenkins: { "shm-size": "256m" } },
            },
          ],
          steps: [setup("ruby", "3.3"), run("bin/rails test")],
        }),
      ]),
    );
    expect(codes).toEqual([]);
    expect(text).toContain("            agent any\n");
    expect(text).toContain(
      "docker.image('postgres:16').withRun('-p 5432:5432 -p 6379:6379 -e \"POSTGRES_PASSWORD=pa ss\\\\\"word\" " +
        '--health-cmd "pg_isready -U postgres" --health-interval 2s --health-timeout 5s --health-retries 5 --shm-size 256m\') { svcPostgres ->',
    );
    expect(text).toContain(
      "docker.image('redis:7').withRun('--network container:' + svcPostgres.id + ' --health-cmd \"redis-cli ping\" --health-interval 10s",
    );
    expect(text).toContain("withEnv(['CIG_SERVICE_CONTAINERS=' + svcPostgres.id + ' ' + svcRedis.id]) {");
    expect(text).toContain("docker.image('ruby:3.3').inside('--network container:' + svcPostgres.id) {");
    expect(jobs[0]).toMatchObject({ services: ["postgres:16", "redis:7"], commands: ["bin/rails test"] });
  });

  it("wraps the steps in Job Cacher caches keyed by file parts and named by literal parts", async () => {
    const caches = [
      { name: "bundler", paths: ["vendor/bundle"], keyParts: ["Gemfile.lock", "ruby:{{ matrix.ruby }}"], restoreKeys: ["bundler-"] },
      { name: "build", paths: [".cache/a", ".cache/b"], keyParts: ["v2"] },
      { name: "dist", paths: ["dist"], keyParts: ["**/package-lock.json"] },
    ];
    const { text, codes } = await generateValid(
      request(
        [
          ...variants("test", [{ ruby: "3.3" }], {
            caches: ["bundler"],
            steps: [cacheStep("build", CacheAction_Operation.RESTORE), run("make")],
          }),
          job("pack", { steps: [run("make dist"), cacheStep("dist", CacheAction_Operation.SAVE), cacheStep("nope")] }),
        ],
        { caches },
      ),
    );
    expect(codes.sort()).toEqual(["PROVIDER_JENKINS_CACHE_RESTORE_KEYS", "PROVIDER_JENKINS_UNKNOWN_CACHE"]);
    expect(text).toContain(
      "cache(maxCacheSize: 1024, caches: [arbitraryFileCache(path: 'vendor/bundle', cacheName: 'bundler-ruby_3.3', cacheValidityDecidingFile: 'Gemfile.lock')]) {",
    );
    expect(text).toContain(
      "cache(maxCacheSize: 1024, skipSave: true, caches: [arbitraryFileCache(path: '.cache/a', cacheName: 'build-v2-1'), arbitraryFileCache(path: '.cache/b', cacheName: 'build-v2-2')]) {",
    );
    expect(text).toContain(
      "cache(maxCacheSize: 1024, skipRestore: true, caches: [arbitraryFileCache(path: 'dist', cacheName: 'dist', cacheValidityDecidingFile: '**/package-lock.json')]) {",
    );
  });

  it("merges runner and job tables (the job's win), renders foreign steps from their table and honours skip", async () => {
    const { text, jobs, codes } = await generateValid(
      request([
        job("deploy", {
          timeoutMinutes: 20,
          runner: {
            name: "big",
            providers: { jenkins: { docker: { image: "deployer:1", args: "-v /tmp:/tmp" }, options: { timestamps: true } } },
          },
          passthrough: {
            jenkins: {
              options: { timeout: { time: 1, unit: "HOURS" }, retry: 2 },
              environment: { STAGE: "prod" },
              checkout: false,
              tools: { jdk: "17" },
            },
          },
          steps: [
            uses(
              "actions/upload-artifact@v4",
              { path: "dist" },
              { passthrough: { jenkins: { archiveArtifacts: { artifacts: "dist/**", fingerprint: true } } } },
            ),
            uses("actions/cache@v4", {}, { passthrough: { jenkins: { skip: true } } }),
            run("./deploy.sh", { passthrough: { jenkins: { label: "Deploy it", returnStatus: false } } }),
            run("echo never", { passthrough: { jenkins: { skip: true } } }),
          ],
        }),
      ]),
    );
    expect(codes).toEqual([]);
    expect(text).toContain(
      "            agent {\n                docker {\n                    args '-v /tmp:/tmp'\n                    image 'deployer:1'\n                }\n            }\n",
    );
    // cig's own option first, then the tables' options by name; the job's timeout beats cig's 20 minutes.
    expect(text).toContain(
      "            options {\n                timeout(time: 1, unit: 'HOURS')\n                retry(2)\n                timestamps()\n            }\n",
    );
    expect(text).toContain(
      "            environment {\n                STAGE = 'prod'\n            }\n            tools {\n                jdk '17'\n            }\n",
    );
    expect(text).toContain(
      "            steps {\n                archiveArtifacts(artifacts: 'dist/**', fingerprint: true)\n                sh(label: 'Deploy it', script: './deploy.sh', returnStatus: false)\n            }\n",
    );
    expect(text).not.toContain("checkout scm");
    expect(jobs[0]?.commands).toEqual(["./deploy.sh"]);
  });

  it("renders checkout steps with depth and submodules, and a job override step", async () => {
    const { text } = await generateValid(
      request([
        job("a", {
          steps: [
            { action: { case: "checkout", value: { fetchDepth: 1, submodules: true } } },
            run("make", { providerOverrides: [{ provider: "jenkins", step: run("gmake") }] }),
          ],
        }),
      ]),
    );
    expect(text).toContain(
      "checkout scmGit(branches: scm.branches, userRemoteConfigs: scm.userRemoteConfigs, extensions: [cloneOption(depth: 1, shallow: true, noTags: false), submodule(recursiveSubmodules: true)])\n                sh 'gmake'",
    );
    expect(text.match(/checkout/g)).toHaveLength(1);
  });
});
