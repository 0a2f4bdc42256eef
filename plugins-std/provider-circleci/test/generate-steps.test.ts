// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} here is GitHub expression syntax (a native condition), not a JS template.
import { CacheAction_Operation } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateValid } from "./generate-valid.js";
import { job, request, run, uses } from "./request-builders.js";

const cacheStep = (name: string, operation = CacheAction_Operation.RESTORE_AND_SAVE) => ({
  action: { case: "cache" as const, value: { name, operation } },
});
const setup = (tool: string, version: string, cache = "") => ({ action: { case: "setupTool" as const, value: { tool, version, cache } } });
const MARK = "# added by cig (provider/circleci)\n";

describe("provider/circleci: steps, services and caches", () => {
  it("runs services as secondary containers and waits for their ports before the module's wait step", async () => {
    const { cfg, codes } = await generateValid(
      request([
        job("test", {
          steps: [run("wait-for-pg", { name: "Wait for postgres" }), run("bin/rails test")],
          services: [
            { name: "redis", image: "redis:7", ports: ["6380:6379"], health: { command: "redis-cli ping" } },
            {
              name: "postgres",
              image: "postgres:16",
              env: { POSTGRES_PASSWORD: "postgres" },
              ports: ["5432:5432"],
              health: { command: "pg_isready", intervalSeconds: 2, retries: 5 },
              passthrough: { circleci: { name: "db" } },
            },
          ],
        }),
      ]),
    );
    expect(codes).toEqual(["PROVIDER_CIRCLECI_PORT_REMAP"]);
    expect(cfg.jobs.test.docker).toEqual([
      { image: "cimg/base:current" },
      { image: "postgres:16", name: "db", environment: { POSTGRES_PASSWORD: "postgres" } },
      { image: "redis:7" },
    ]);
    const names = cfg.jobs.test.steps.map((s: { run?: { name?: string } } | string) => (typeof s === "string" ? s : s.run?.name));
    expect(names).toEqual([
      "checkout",
      "Wait for postgres to accept connections",
      "Wait for postgres",
      undefined,
      "Wait for redis to accept connections",
    ]);
    expect(cfg.jobs.test.steps[1].run.command).toContain("/dev/tcp/127.0.0.1/5432");
    expect(cfg.jobs.test.steps[4].run.command).toContain("/dev/tcp/127.0.0.1/6379");
  });

  it("builds cache keys with {{ checksum }}, literals first, and saves restore-and-save caches at the end", async () => {
    const caches = [
      { name: "bundler", paths: ["vendor/bundle"], keyParts: ["Gemfile.lock", "ruby:3.3.0"], restoreKeys: [""] },
      { name: "node_modules", paths: ["node_modules"], keyParts: ["**/package-lock.json", ".nvmrc", "v2"] },
      { name: "static", paths: ["public"], keyParts: ["v1"] },
    ];
    const { cfg, codes } = await generateValid(
      request(
        [
          job("build", {
            caches: ["static"],
            steps: [
              cacheStep("bundler"),
              cacheStep("node_modules", CacheAction_Operation.RESTORE),
              run("make"),
              cacheStep("node_modules", CacheAction_Operation.SAVE),
            ],
          }),
        ],
        { caches },
      ),
    );
    expect(codes).toEqual([]);
    const steps = cfg.jobs.build.steps;
    expect(steps[1]).toEqual({ restore_cache: { name: "Restore cache static", keys: ["static-{{ arch }}-v1"] } });
    expect(steps[2]).toEqual({
      restore_cache: {
        name: "Restore cache bundler",
        keys: ['bundler-{{ arch }}-ruby:3.3.0-{{ checksum "Gemfile.lock" }}', "bundler-{{ arch }}-"],
      },
    });
    expect(steps[3].run.command).toBe(
      `${MARK}mkdir -p /tmp/cig-checksums\nbash -O globstar -O nullglob -c 'for f in **/package-lock.json; do echo "$f"; cat "$f"; done' > /tmp/cig-checksums/node_modules\n`,
    );
    expect(steps[4].restore_cache.keys).toEqual([
      'node_modules-{{ arch }}-v2-{{ checksum ".nvmrc" }}-{{ checksum "/tmp/cig-checksums/node_modules" }}',
      "node_modules-{{ arch }}-v2-",
    ]);
    expect(steps.slice(6).map((s: Record<string, { name: string }>) => Object.values(s)[0]?.name)).toEqual([
      "Checksum files for cache node_modules",
      "Save cache node_modules",
      "Save cache static",
      "Save cache bundler",
    ]);
  });

  it("maps setup tools to cimg images, the rest to install steps it marks", async () => {
    const { cfg } = await generateValid(
      request([
        job("rails", { steps: [setup("node", "lts/*"), setup("ruby", "3.3.0", "bundler"), setup("yarn", "4.1.0"), run("bin/rails test")] }),
        job("py", { steps: [setup("python", "3.x"), run("pytest")] }),
        job("go", { steps: [setup("go", "1.22.5"), run("go test ./...")] }),
        job("node", { steps: [setup("pnpm", ""), setup("node", "v20.11.1", "pnpm"), run("pnpm test")] }),
      ]),
    );
    expect(cfg.jobs.rails.docker).toEqual([{ image: "cimg/ruby:3.3.0-node" }]);
    expect(cfg.jobs.py.docker).toEqual([{ image: "cimg/python:3.13" }]);
    expect(cfg.jobs.go.docker).toEqual([{ image: "cimg/go:1.22.5" }]);
    expect(cfg.jobs.node.docker).toEqual([{ image: "cimg/node:20.11.1" }]);
    const rails = cfg.jobs.rails.steps;
    expect(rails[1].restore_cache.keys[0]).toBe('gems-{{ arch }}-ruby-3.3.0-{{ checksum "Gemfile.lock" }}');
    expect(rails[2].run).toEqual({
      name: "Install gems",
      command: `${MARK}bundle config set --local path vendor/bundle\nbundle install --jobs 4 --retry 3\n`,
    });
    expect(rails[3].run.command).toContain("corepack prepare yarn@4.1.0 --activate");
    expect(rails.at(-1).save_cache.paths).toEqual(["vendor/bundle"]);
    expect(cfg.jobs.node.steps[1].run.command).not.toContain("corepack prepare");
  });

  it("keeps env, working_directory, shell, timeout and continue_on_error of run steps", async () => {
    const { cfg, codes } = await generateValid(
      request([
        job("a", {
          steps: [
            {
              name: "Lint",
              env: { B: "on", A: "3.10" },
              workingDirectory: "web",
              timeoutMinutes: 5,
              continueOnError: true,
              action: { case: "run", value: { command: "npm run lint", shell: "/bin/bash" } },
              passthrough: { circleci: { max_auto_reruns: 2 } },
            },
          ],
        }),
      ]),
    );
    expect(codes).toEqual(["PROVIDER_CIRCLECI_STEP_TIMEOUT"]);
    expect(cfg.jobs.a.steps[1].run).toEqual({
      name: "Lint",
      shell: "/bin/bash",
      working_directory: "web",
      environment: { A: "3.10", B: "on" },
      no_output_timeout: "5m",
      max_auto_reruns: 2,
      command: `trap 's=$?; if [ "$s" -ne 0 ]; then echo "exit status $s ignored (continue_on_error)"; fi; exit 0' EXIT\nnpm run lint`,
    });
  });

  it("renders foreign steps from their circleci table, skips them on request, reports them otherwise", async () => {
    const { cfg, codes, res } = await generateValid(
      request([
        job("a", {
          steps: [
            uses(
              "actions/upload-artifact@v4",
              { path: "coverage" },
              { passthrough: { circleci: { store_artifacts: { path: "coverage" } } } },
            ),
            uses("actions/cache@v4", {}, { passthrough: { circleci: { skip: true } } }),
            uses("docker/login-action@v3", {}, { loc: { path: "cig.toml", line: 9, column: 3 } }),
          ],
        }),
      ]),
    );
    expect(cfg.jobs.a.steps).toEqual(["checkout", { store_artifacts: { path: "coverage" } }]);
    expect(codes).toEqual(["PROVIDER_CIRCLECI_FOREIGN_STEP"]);
    expect(res.diagnostics[0]).toMatchObject({ resourceId: "job:a", loc: { line: 9 } });
    expect(res.diagnostics[0]?.fixHint).toContain("skip = true");
  });

  it("translates step conditions: status to when, the rest to a compile-time when step", async () => {
    const { cfg, codes } = await generateValid(
      request([
        job("a", {
          steps: [
            run("report", { condition: "failure()" }),
            run("cleanup", { condition: "always()" }),
            run("deploy", { condition: "branch == 'main' && event == 'push'" }),
            run("notify", { condition: "always() && tag == 'v*'" }),
            run("native", { condition: "${{ always() }}" }),
          ],
        }),
      ]),
    );
    expect(codes).toEqual(["PROVIDER_CIRCLECI_NATIVE_CONDITION"]);
    const steps = cfg.jobs.a.steps;
    expect(steps[1]).toEqual({ run: { command: "report", when: "on_fail" } });
    expect(steps[2]).toEqual({ run: { command: "cleanup", when: "always" } });
    expect(steps[3]).toEqual({
      when: {
        condition: {
          and: [{ equal: ["main", "<< pipeline.git.branch >>"] }, { equal: ["webhook", "<< pipeline.trigger_source >>"] }],
        },
        steps: [{ run: { command: "deploy" } }],
      },
    });
    expect(steps[4]).toEqual({
      when: {
        condition: { matches: { pattern: "^v[^/]*$", value: "<< pipeline.git.tag >>" } },
        steps: [{ run: { command: "notify", when: "always" } }],
      },
    });
  });
});
