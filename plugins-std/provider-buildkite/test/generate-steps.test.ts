// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} and $VAR here are CI syntax, not JS templates.
import { CacheAction_Operation } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateValid } from "./generate-valid.js";
import { job, request, run, uses, variants } from "./request-builders.js";

const setup = (tool: string, version: string, cache = "") => ({ action: { case: "setupTool" as const, value: { tool, version, cache } } });
const cacheStep = (name: string, operation = CacheAction_Operation.RESTORE_AND_SAVE) => ({
  action: { case: "cache" as const, value: { name, operation } },
});

describe("provider/buildkite: steps, tools, services and caches", () => {
  it("wraps each step: env and directory inside its subshell, status guards, continue_on_error", async () => {
    const { byKey, codes } = await generateValid(
      request([
        job("test", {
          steps: [
            run("npm test", { name: "Unit", env: { NODE_ENV: "test", A: "it's" }, workingDirectory: "web app" }),
            run("make lint", { continueOnError: true }),
            run("bin/report", { name: "Report", condition: "failure()" }),
            run("bin/cleanup", { condition: "always()" }),
            run("bin/deploy", { condition: "branch == 'main' && event == 'push'" }),
          ],
        }),
      ]),
    );
    expect(codes).toEqual([]);
    const [, unit, lint, report, cleanup, deploy] = byKey.test.commands as string[];
    expect(unit).toBe(
      [
        "# Unit",
        'if [ "$$cig_failed" = 0 ]; then (',
        "set -e; cd -- 'web app'; export A='it'\\''s' NODE_ENV=test",
        "npm test",
        "); [ $$? = 0 ] || cig_failed=1; fi",
      ].join("\n"),
    );
    expect(lint).toContain('); [ $$? = 0 ] || echo "cig: step failed; continue_on_error is set" >&2; fi');
    expect(report?.split("\n")[1]).toBe('if [ "$$cig_failed" = 1 ]; then (');
    expect(cleanup?.split("\n")[1]).toBe("if true; then (");
    expect(deploy?.split("\n")[1]).toBe(
      'if [ "$$cig_failed" = 0 ] && { { [ -z "$${BUILDKITE_TAG:-}" ] && [ "$${BUILDKITE_BRANCH:-}" = main ]; } && { [ "$${BUILDKITE_SOURCE:-}" = webhook ] && [ "$${BUILDKITE_PULL_REQUEST:-false}" = false ]; }; }; then (',
    );
  });

  it("runs a job in the official image of its tool through the docker plugin, with corepack and bundler commands", async () => {
    const { byKey, codes } = await generateValid(
      request([
        job("node", { steps: [setup("pnpm", "9.1.0"), setup("node", "lts/*", "pnpm"), run("pnpm test")] }),
        job("ruby", { steps: [setup("ruby", "3.3.0", "bundler"), run("rake")] }),
        job("python", { steps: [setup("python", "3.x"), run("pytest")] }),
        job("go", { steps: [setup("go", "stable"), run("go test ./...")] }),
        job("yarn", { steps: [setup("yarn", ""), setup("node", "20.11.1", "yarn"), run("yarn test")] }),
      ]),
    );
    expect(codes).toEqual([]);
    const image = (key: string) => byKey[key].plugins[0]["docker#v5.13.0"];
    expect(image("node")).toEqual({ image: "node:lts", "propagate-environment": true });
    expect(image("ruby").image).toBe("ruby:3.3.0");
    expect(image("python").image).toBe("python:3");
    expect(image("go").image).toBe("golang:latest");
    expect(image("yarn").image).toBe("node:20.11.1");
    expect(byKey.node.commands[1]).toContain("# cig: Set up pnpm (corepack)\n");
    expect(byKey.node.commands[1]).toContain("\ncorepack enable && corepack prepare pnpm@9.1.0 --activate\n");
    expect(byKey.yarn.commands[1]).toContain("\ncorepack enable\n");
    expect(byKey.ruby.commands[1]).toContain("\nbundle install\n");
  });

  it("warns when a job needs two images, and when services move a job with tools to the host", async () => {
    const { byKey, codes } = await generateValid(
      request([
        job("two", { steps: [setup("node", "20"), setup("ruby", "3.3"), run("make")] }),
        job("svc", { steps: [setup("go", "1.22"), run("go test")], services: [{ name: "postgres", image: "postgres:16" }] }),
        job("pinned", {
          runner: { name: "img", providers: { buildkite: { plugins: [{ "docker#v5.13.0": { image: "acme/ci:1" } }] } } },
          steps: [setup("node", "20"), setup("ruby", "3.3"), run("make")],
        }),
      ]),
    );
    expect(codes).toEqual(["PROVIDER_BUILDKITE_SEVERAL_IMAGES", "PROVIDER_BUILDKITE_TOOLS_ON_HOST"]);
    expect(byKey.two.plugins).toEqual([{ "docker#v5.13.0": { image: "node:20", "propagate-environment": true } }]);
    expect(byKey.svc.plugins).toBeUndefined();
    expect(byKey.pinned.plugins).toEqual([{ "docker#v5.13.0": { image: "acme/ci:1" } }]);
  });

  it("starts services as health-checked sidecars published on the host, removed on exit", async () => {
    const { byKey, codes } = await generateValid(
      request([
        job("test", {
          env: { DATABASE_URL: "postgres://postgres:postgres@localhost:5433/test" },
          services: [
            { name: "redis", image: "redis:7", ports: ["6379:6379"] },
            {
              name: "postgres",
              image: "postgres:16",
              env: { POSTGRES_PASSWORD: "p w" },
              ports: ["5433:5432"],
              health: { command: "pg_isready -U postgres", intervalSeconds: 3 },
              passthrough: { buildkite: { options: "--shm-size 256m", volumes: ["/x:/y"] } },
            },
          ],
          steps: [run("make test")],
        }),
      ]),
    );
    expect(codes).toEqual(["PROVIDER_BUILDKITE_IGNORED_KEY"]);
    const services = (byKey.test.commands[1] as string).split("\n");
    expect(services[0]).toBe("# cig: start services: postgres, redis");
    expect(services[1]).toBe(
      `trap 'docker rm --force "cig-$$BUILDKITE_JOB_ID-postgres" "cig-$$BUILDKITE_JOB_ID-redis" >/dev/null 2>&1' EXIT`,
    );
    expect(services[2]).toBe(
      `docker run --detach --name "cig-$$BUILDKITE_JOB_ID-postgres" --publish 5433:5432 --env 'POSTGRES_PASSWORD=p w' --health-cmd 'pg_isready -U postgres' --health-interval 3s --health-timeout 5s --health-retries 5 --shm-size 256m postgres:16 >/dev/null || cig_failed=1`,
    );
    expect(services[3]).toBe(
      `docker run --detach --name "cig-$$BUILDKITE_JOB_ID-redis" --publish 6379:6379 redis:7 >/dev/null || cig_failed=1`,
    );
    // Only checked services are waited for.
    expect(services[4]).toBe("for cig_service in postgres; do");
  });

  it("restores and saves caches with the cache plugin, keyed by manifest files and literal parts", async () => {
    const caches = [
      { name: "bundler", paths: ["vendor/bundle"], keyParts: ["Gemfile.lock", "ruby:{{ matrix.ruby }}"] },
      { name: "nm", paths: ["node_modules", "web/node_modules"], keyParts: ["package-lock.json", ".nvmrc", "v2"] },
      { name: "globby", paths: ["x"], keyParts: ["**/yarn.lock"] },
      { name: "plain", paths: ["tmp"], keyParts: ["v1"] },
    ];
    const { byKey, codes } = await generateValid(
      request(
        [
          ...variants("test", [{ ruby: "3.3" }], { caches: ["bundler"], steps: [run("rake")] }),
          job("web", {
            steps: [cacheStep("nm", CacheAction_Operation.RESTORE), run("npm ci"), cacheStep("plain", CacheAction_Operation.SAVE)],
          }),
          job("g", { caches: ["globby", "nope"], steps: [run("true")] }),
        ],
        { caches },
      ),
    );
    expect(codes).toEqual(["PROVIDER_BUILDKITE_UNKNOWN_CACHE", "PROVIDER_BUILDKITE_CACHE_GLOB"]);
    expect(byKey["test-ruby3.3"].plugins).toEqual([
      {
        "cache#v1.10.0": {
          path: "vendor/bundle",
          manifest: "Gemfile.lock",
          "key-extra": "bundler-ruby:3.3",
          restore: "pipeline",
          save: ["file", "pipeline"],
          "soft-fail": true,
        },
      },
    ]);
    expect(byKey.web.plugins).toEqual([
      {
        "cache#v1.10.0": {
          path: "node_modules",
          manifest: ["package-lock.json", ".nvmrc"],
          "key-extra": "nm-v2",
          restore: "pipeline",
          "soft-fail": true,
        },
      },
      {
        "cache#v1.10.0": {
          path: "web/node_modules",
          manifest: ["package-lock.json", ".nvmrc"],
          "key-extra": "nm-v2",
          restore: "pipeline",
          "soft-fail": true,
        },
      },
      { "cache#v1.10.0": { path: "tmp", "key-extra": "plain-v1", save: "pipeline", "soft-fail": true } },
    ]);
  });

  it("renders foreign steps from their buildkite table, skips them on request, and reports them otherwise", async () => {
    const { byKey, codes, res } = await generateValid(
      request([
        job("a", {
          steps: [
            run("make"),
            uses("actions/upload-artifact@v4", { path: "dist/" }, { passthrough: { buildkite: { artifact_paths: ["dist/**"] } } }),
            uses("actions/cache@v4", {}, { passthrough: { buildkite: { skip: true } } }),
            uses(
              "docker/login-action@v3",
              {},
              { name: "Login", passthrough: { buildkite: { command: "docker login", plugins: [{ "ecr#v2.9.0": { login: true } }] } } },
            ),
            uses("acme/thing@v1", {}, { loc: { path: "cig.toml", line: 9, column: 3 } }),
            { ...run("x"), action: { case: "run" as const, value: { command: "Write-Host hi", shell: "pwsh" } } },
            run("slow", { timeoutMinutes: 5 }),
          ],
        }),
      ]),
    );
    expect(codes).toEqual(["PROVIDER_BUILDKITE_FOREIGN_STEP", "PROVIDER_BUILDKITE_UNSUPPORTED_SHELL", "PROVIDER_BUILDKITE_STEP_TIMEOUT"]);
    expect(res.diagnostics[0]).toMatchObject({ resourceId: "job:a", loc: { line: 9 } });
    expect(byKey.a.artifact_paths).toEqual(["dist/**"]);
    expect(byKey.a.plugins).toEqual([{ "ecr#v2.9.0": { login: true } }]);
    expect(byKey.a.commands[2]).toContain("# cig: Login (buildkite table of docker/login-action@v3)\n");
    expect(byKey.a.commands).toHaveLength(5);
  });
});
