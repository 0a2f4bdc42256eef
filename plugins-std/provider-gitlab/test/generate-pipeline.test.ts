import { CacheAction_Operation } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateValid, harness } from "./generate-valid.js";
import { job, request, run, setup, variants } from "./request-builders.js";

const cacheStep = (name: string, operation = CacheAction_Operation.RESTORE_AND_SAVE) => ({
  action: { case: "cache" as const, value: { name, operation } },
});

describe("provider/gitlab: the pipeline", () => {
  it("renders a minimal job with stages, an explicit empty needs and the default triggers", async () => {
    const { yaml, codes, res } = await generateValid(
      request([job("test", { runner: undefined, steps: [run("echo hello", { name: "Say hello" })] })]),
    );
    expect(codes).toEqual([]);
    expect(res.fragments[0]?.path).toBe(".gitlab-ci.yml");
    expect(yaml).toBe(
      [
        "workflow:",
        "  rules:",
        '    - if: $CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == "main"',
        '    - if: $CI_PIPELINE_SOURCE == "merge_request_event"',
        "stages: [test]",
        "test:",
        "  stage: test",
        "  needs: []",
        "  script:",
        "    # Say hello",
        "    - echo hello",
        "",
      ].join("\n"),
    );
  });

  it("derives stages from the needs DAG and keeps graph order for jobs", async () => {
    const { pl } = await generateValid(
      request([
        job("lint", { steps: [run("make lint")] }),
        job("unit", { steps: [run("make unit")] }),
        job("build", { needs: ["job:lint", "job:unit"], steps: [run("make")] }),
        job("docs", { steps: [run("make docs")] }),
        job("deploy", { needs: ["job:build"], steps: [run("make deploy")] }),
      ]),
    );
    expect(pl.stages).toEqual(["docs, lint, unit", "build", "deploy"]);
    expect(Object.keys(pl).slice(2)).toEqual(["lint", "unit", "build", "docs", "deploy"]);
    expect(pl.build).toMatchObject({ stage: "build", needs: ["lint", "unit"] });
    expect(pl.docs.stage).toBe("docs, lint, unit");
  });

  it("expands a matrix into one job per variant, named by variant id, values bound", async () => {
    const { pl, yaml } = await generateValid(
      request(
        [
          ...variants("test", [{ ruby: "3.2" }, { ruby: "3.3" }], {
            steps: [setup("ruby", "{{ matrix.ruby }}"), run("rake test RUBY={{ matrix.ruby }}")],
          }),
          job("report", { needs: ["job:test-ruby3.2", "job:test-ruby3.3"], steps: [run("make report")] }),
        ],
        { jobs: [{ id: "test", matrix: { axes: [{ name: "ruby", values: ["3.2", "3.3"] }] } }] },
      ),
    );
    expect(pl["test-ruby3.2"]).toMatchObject({ image: "ruby:3.2", script: ["rake test RUBY=3.2"] });
    expect(pl["test-ruby3.3"]).toMatchObject({ image: "ruby:3.3", script: ["rake test RUBY=3.3"] });
    expect(pl.report.needs).toEqual(["test-ruby3.2", "test-ruby3.3"]);
    expect(yaml).toContain('# matrix of test: {"ruby": "3.3"}\ntest-ruby3.3:\n');
  });

  it("maps setup tools to official images, Corepack and dependency caches", async () => {
    const { pl, codes } = await generateValid(
      request(
        [
          job("node", { steps: [setup("pnpm", "9.1.0"), setup("node", "lts/*", "pnpm"), run("pnpm install --frozen-lockfile")] }),
          job("python", { steps: [setup("python", "3.x", "pip")] }),
          job("go", { steps: [setup("go", "1.22")] }),
          job("rails", {
            steps: [setup("yarn", ""), setup("node", "20.11.1", "yarn"), setup("ruby", "3.3.0", "bundler"), run("bin/rails test")],
          }),
        ],
        {},
        { facts: { python_dependency_file: "requirements.txt" } },
      ),
    );
    expect(codes).toEqual([]);
    expect(pl.node).toMatchObject({
      image: "node:lts",
      cache: [{ key: { files: ["pnpm-lock.yaml"], prefix: "pnpm" }, paths: [".pnpm-store"] }],
      before_script: ["corepack enable", "corepack prepare pnpm@9.1.0 --activate", "pnpm config set store-dir .pnpm-store"],
    });
    expect(pl.python).toMatchObject({
      image: "python:3",
      variables: { PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip" },
      cache: [{ key: { files: ["requirements.txt"], prefix: "pip-python3" }, paths: [".cache/pip"] }],
    });
    expect(pl.go).toMatchObject({ image: "golang:1.22", variables: { GOCACHE: "$CI_PROJECT_DIR/.cache/go-build" } });
    // Ruby and Node: the Ruby image, Node from NodeSource (first), then Corepack, then bundle install.
    expect(pl.rails.image).toBe("ruby:3.3.0");
    expect(pl.rails.before_script).toEqual([
      "curl -fsSL https://deb.nodesource.com/setup_20.x | bash -",
      "apt-get install -y --no-install-recommends nodejs",
      "corepack enable",
      "bundle install",
    ]);
    expect(pl.rails.variables).toMatchObject({ BUNDLE_PATH: "vendor/bundle", YARN_CACHE_FOLDER: "$CI_PROJECT_DIR/.yarn-cache" });
  });

  it("renders services with alias and variables, and points localhost URLs at the service", async () => {
    const { pl } = await generateValid(
      request([
        job("test", {
          env: { DATABASE_URL: "postgres://u:p@localhost:5433/app", REDIS_URL: "redis://127.0.0.1:6379", OTHER: "localhost:8080" },
          services: [
            { name: "redis", image: "redis:7", ports: ["6379"] },
            {
              name: "postgres",
              image: "postgres:16",
              env: { POSTGRES_PASSWORD: "p" },
              ports: ["5433:5432"],
              passthrough: { gitlab: { command: ["postgres", "-c", "fsync=off"] } },
            },
          ],
          steps: [run("Wait for postgres", { name: "Wait for postgres" }), run("Wait for redis", { name: "Wait for redis" })],
        }),
      ]),
    );
    expect(pl.test.services).toEqual([
      { name: "postgres:16", alias: "postgres", variables: { POSTGRES_PASSWORD: "p" }, command: ["postgres", "-c", "fsync=off"] },
      { name: "redis:7", alias: "redis" },
    ]);
    expect(pl.test.variables).toEqual({
      DATABASE_URL: "postgres://u:p@postgres:5432/app",
      OTHER: "localhost:8080",
      REDIS_URL: "redis://redis:6379",
    });
  });

  it("keys named caches on up to two files with the name and literal parts as prefix, policy from the steps", async () => {
    const caches = [
      { name: "bundler", paths: ["vendor/bundle"], keyParts: ["Gemfile.lock", "ruby:3.3.0"] },
      { name: "assets", paths: ["public/assets"], keyParts: ["v2"] },
      { name: "web", paths: ["node_modules"], keyParts: ["package-lock.json", ".nvmrc", "web/{{ matrix.app }}.lock"] },
    ];
    const { pl, codes } = await generateValid(
      request(
        [
          job("build", {
            caches: ["bundler"],
            steps: [cacheStep("assets", CacheAction_Operation.RESTORE), run("make"), cacheStep("assets", CacheAction_Operation.SAVE)],
          }),
          job("pull", { steps: [cacheStep("assets", CacheAction_Operation.RESTORE), run("make")] }),
          ...variants("web", [{ app: "shop" }], { caches: ["web"], steps: [run("make")] }),
        ],
        { caches },
      ),
    );
    expect(pl.build.cache).toEqual([
      { key: { files: ["Gemfile.lock"], prefix: "bundler-ruby:3.3.0" }, paths: ["vendor/bundle"] },
      { key: "assets-v2", paths: ["public/assets"] },
    ]);
    expect(pl.pull.cache).toEqual([{ key: "assets-v2", paths: ["public/assets"], policy: "pull" }]);
    expect(pl["web-shop"].cache[0].key).toEqual({ files: ["package-lock.json", ".nvmrc"], prefix: "web" });
    expect(codes).toEqual(["PROVIDER_GITLAB_CACHE_KEY_FILES"]);
  });

  it("maps triggers to workflow rules, manual inputs to described variables, cancel_in_progress to interruptible", async () => {
    const { pl, codes } = await generateValid(
      request([job("a", { steps: [run("make")] })], {
        workflow: {
          env: { TZ: "UTC", PRICE: "a$b" },
          concurrency: { group: "ci", cancelInProgress: true },
          triggers: [
            { kind: { case: "push", value: { branches: ["main", "release/*"], tags: ["v*"], paths: ["src/**"] } } },
            { kind: { case: "push", value: { branchesIgnore: ["wip/**"] } } },
            { kind: { case: "pullRequest", value: { branches: ["main"] } } },
            { kind: { case: "schedule", value: { cron: "0 4 * * 1" } } },
            { kind: { case: "manual", value: { inputs: { reason: "Why run by hand" } } } },
          ],
        },
      }),
    );
    expect(pl.workflow).toEqual({
      rules: [
        {
          if: '$CI_PIPELINE_SOURCE == "push" && (($CI_COMMIT_BRANCH == "main" || $CI_COMMIT_BRANCH =~ /^release\\/[^\\/]*$/) || $CI_COMMIT_TAG =~ /^v[^\\/]*$/)',
          changes: ["src/**"],
        },
        { if: '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH && $CI_COMMIT_BRANCH !~ /^wip\\/.*$/' },
        { if: '$CI_PIPELINE_SOURCE == "merge_request_event" && $CI_MERGE_REQUEST_TARGET_BRANCH_NAME == "main"' },
        { if: '$CI_PIPELINE_SOURCE == "schedule"' },
        { if: '$CI_PIPELINE_SOURCE == "web"' },
      ],
      auto_cancel: { on_new_commit: "interruptible" },
    });
    expect(pl.variables).toEqual({
      PRICE: { value: "a$b", expand: false },
      TZ: "UTC",
      reason: { value: "", description: "Why run by hand" },
    });
    expect(pl.a.interruptible).toBe(true);
    expect(codes).toEqual(["PROVIDER_GITLAB_SCHEDULE"]);
  });

  it("merges the runner table under the job and the job table over everything", async () => {
    const { pl } = await generateValid(
      request([
        job("deploy", {
          runner: { name: "big", providers: { gitlab: { tags: ["xlarge"], image: "alpine:3.20", retry: 2 } } },
          timeoutMinutes: 20,
          env: { A: "1" },
          steps: [setup("node", "20"), run("./deploy.sh")],
          passthrough: { gitlab: { environment: { name: "production" }, variables: { B: "2" }, retry: 1, checkout: false } },
        }),
      ]),
    );
    expect(pl.deploy).toMatchObject({
      image: "alpine:3.20",
      tags: ["xlarge"],
      timeout: "20 minutes",
      retry: 1,
      environment: { name: "production" },
    });
    expect(pl.deploy.variables).toEqual({ A: "1", B: "2", GIT_STRATEGY: "none" });
    expect(Object.keys(pl.deploy)).toEqual(["stage", "needs", "image", "tags", "timeout", "variables", "script", "environment", "retry"]);
  });

  it("quotes strings a YAML 1.1 reader would misread", async () => {
    const { yaml } = await generateValid(
      request([job("a", { env: { ON: "on", V: "3.10", NUM: "010", D: "2024-01-31" }, steps: [run("yes")] })]),
    );
    expect(yaml).toContain('"ON": "on"');
    expect(yaml).toContain('V: "3.10"');
    expect(yaml).toContain('NUM: "010"');
    expect(yaml).toContain('D: "2024-01-31"');
    expect(yaml).toContain('- "yes"');
    expect(yaml).not.toContain("\u0000");
  });

  it("is deterministic: same request, same bytes; unrelated job order does not change job content", async () => {
    const graph = [
      job("b", { steps: [run("make b")], env: { Z: "1", A: "2" } }),
      job("a", {
        steps: [run("make a")],
        services: [
          { name: "z", image: "z:1" },
          { name: "a", image: "a:1" },
        ],
      }),
      job("c", { needs: ["job:a", "job:b"], steps: [run("make c")] }),
    ];
    const first = await harness.generate(request(graph));
    const second = await harness.generate(request(graph));
    expect(second.fragments[0]?.content).toBe(first.fragments[0]?.content);
    const permuted = await generateValid(request([graph[1], graph[0], graph[2]] as typeof graph));
    const { pl } = await generateValid(request(graph));
    for (const id of ["a", "b", "c"]) expect(permuted.pl[id]).toEqual(pl[id]);
    expect(permuted.pl.stages).toEqual(pl.stages);
  });
});
