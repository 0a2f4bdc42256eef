// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} here is GitHub expression syntax, not a JS template.
import { CacheAction_Operation } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { generateValid } from "./generate-valid.js";
import { job, request, run, uses, variants } from "./request-builders.js";

const cacheStep = (name: string, operation = CacheAction_Operation.RESTORE_AND_SAVE) => ({
  action: { case: "cache" as const, value: { name, operation } },
});
const setup = (tool: string, version: string, cache = "") => ({ action: { case: "setupTool" as const, value: { tool, version, cache } } });

describe("provider/github: steps, services and caches", () => {
  it("renders services with Docker health checks", async () => {
    const { wf, codes } = await generateValid(
      request([
        job("test", {
          steps: [run("bin/rails test")],
          services: [
            { name: "redis", image: "redis:7", ports: ["6379:6379"], health: { command: "redis-cli ping", intervalSeconds: 2 } },
            {
              name: "postgres",
              image: "postgres:16",
              env: { POSTGRES_PASSWORD: "postgres", POSTGRES_DB: "app_test" },
              ports: ["5432:5432"],
              health: { command: "pg_isready -U postgres", intervalSeconds: 10, timeoutSeconds: 5, retries: 5 },
              passthrough: { github: { options: "--shm-size 256m", volumes: ["/tmp/pg:/var/run/postgresql"] } },
            },
          ],
        }),
      ]),
    );
    expect(codes).toEqual([]);
    expect(Object.keys(wf.jobs.test.services)).toEqual(["postgres", "redis"]);
    expect(wf.jobs.test.services.postgres).toEqual({
      image: "postgres:16",
      env: { POSTGRES_DB: "app_test", POSTGRES_PASSWORD: "postgres" },
      ports: ["5432:5432"],
      volumes: ["/tmp/pg:/var/run/postgresql"],
      options: '--health-cmd "pg_isready -U postgres" --health-interval 10s --health-timeout 5s --health-retries 5 --shm-size 256m',
    });
    expect(wf.jobs.test.services.redis.options).toBe(
      '--health-cmd "redis-cli ping" --health-interval 2s --health-timeout 5s --health-retries 5',
    );
  });

  it("builds actions/cache keys with hashFiles() and real expressions, literals first", async () => {
    const caches = [
      { name: "bundler", paths: ["vendor/bundle"], keyParts: ["Gemfile.lock", "ruby:3.3.0"], restoreKeys: [""] },
      { name: "node_modules", paths: ["node_modules", "packages/*/node_modules"], keyParts: ["**/package-lock.json", ".nvmrc", "v2"] },
      { name: "assets", paths: ["public/assets"], keyParts: ["{{ matrix.ruby }}/assets.lock"] },
    ];
    const { wf, yaml, codes } = await generateValid(
      request(
        [
          job("build", {
            steps: [
              cacheStep("bundler"),
              cacheStep("node_modules", CacheAction_Operation.RESTORE),
              run("make"),
              cacheStep("node_modules", CacheAction_Operation.SAVE),
            ],
          }),
          ...variants("test", [{ ruby: "3.2" }, { ruby: "3.3" }], { caches: ["assets"], steps: [run("make test")] }),
        ],
        { caches },
      ),
    );
    expect(codes).toEqual([]);
    const [, bundler, restore, , save] = wf.jobs.build.steps;
    expect(bundler).toEqual({
      name: "Cache bundler",
      uses: "actions/cache@v4",
      with: {
        path: "vendor/bundle",
        key: "${{ runner.os }}-bundler-ruby:3.3.0-${{ hashFiles('Gemfile.lock') }}",
        "restore-keys": "${{ runner.os }}-bundler-",
      },
    });
    // Without restore_keys: the key without its file hashes, which the literal-first order makes a prefix.
    expect(restore).toEqual({
      name: "Restore cache node_modules",
      uses: "actions/cache/restore@v4",
      with: {
        path: "node_modules\npackages/*/node_modules",
        key: "${{ runner.os }}-node_modules-v2-${{ hashFiles('**/package-lock.json') }}-${{ hashFiles('.nvmrc') }}",
        "restore-keys": "${{ runner.os }}-node_modules-v2-",
      },
    });
    expect(save).toMatchObject({ name: "Save cache node_modules", uses: "actions/cache/save@v4" });
    expect(save.with["restore-keys"]).toBeUndefined();
    // The YAML carries the expression itself, not a value computed from it.
    expect(yaml).toContain("key: ${{ runner.os }}-bundler-ruby:3.3.0-${{ hashFiles('Gemfile.lock') }}\n");
    // A cache the job declares but no step restores is restored right after checkout; matrix values inside hashFiles use format().
    expect(wf.jobs.test.steps[1]).toMatchObject({
      uses: "actions/cache@v4",
      with: { key: "${{ runner.os }}-assets-${{ hashFiles(format('{0}/assets.lock', matrix.ruby)) }}" },
    });
  });

  it("maps setup tools to the official actions", async () => {
    const { wf, yaml, codes } = await generateValid(
      request(
        [
          job("ruby", { steps: [setup("ruby", "3.3", "bundler")] }),
          job("node", { steps: [setup("node", "20", "npm")] }),
          job("pnpm", { steps: [setup("node", "22", "pnpm")] }),
          job("python", { steps: [setup("python", "3.10", "pip")] }),
          job("go", { steps: [setup("go", "1.22"), setup("go", "")] }),
        ],
        {},
        { facts: { package_manager: "pnpm", package_manager_version: "9.1.0" } },
      ),
    );
    expect(codes).toEqual([]);
    const second = (id: string) => wf.jobs[id].steps.slice(1);
    expect(second("ruby")).toEqual([{ uses: "ruby/setup-ruby@v1", with: { "ruby-version": "3.3", "bundler-cache": true } }]);
    expect(second("node")).toEqual([{ uses: "actions/setup-node@v4", with: { "node-version": "20", cache: "npm" } }]);
    expect(second("pnpm")).toEqual([
      { uses: "pnpm/action-setup@v4", with: { version: "9.1.0" } },
      { uses: "actions/setup-node@v4", with: { "node-version": "22", cache: "pnpm" } },
    ]);
    expect(second("python")).toEqual([{ uses: "actions/setup-python@v5", with: { "python-version": "3.10", cache: "pip" } }]);
    expect(yaml).toContain('python-version: "3.10"');
    expect(second("go")).toEqual([
      { uses: "actions/setup-go@v5", with: { "go-version": "1.22" } },
      { uses: "actions/setup-go@v5", with: { "go-version-file": "go.mod" } },
    ]);
  });

  it("sets up yarn through corepack before setup-node's yarn cache, and bun with its action", async () => {
    const { wf, codes } = await generateValid(
      request([
        job("yarn", { steps: [setup("yarn", "4.1.0"), setup("node", "20", "yarn")] }),
        job("bun", { steps: [setup("bun", "1.1")] }),
      ]),
    );
    expect(codes).toEqual([]);
    expect(wf.jobs.yarn.steps.slice(1)).toEqual([
      { run: "corepack enable" },
      { uses: "actions/setup-node@v4", with: { "node-version": "20", cache: "yarn" } },
    ]);
    expect(wf.jobs.bun.steps.slice(1)).toEqual([{ uses: "oven-sh/setup-bun@v2", with: { "bun-version": "1.1" } }]);
  });

  it("never drops step name, id, if, env, working-directory, timeout or continue-on-error", async () => {
    const { wf } = await generateValid(
      request([
        job("test", {
          steps: [
            run("npm test", {
              name: "Unit tests",
              id: "unit",
              condition: "github.event_name == 'push'",
              env: { NODE_ENV: "test", CI: "true" },
              workingDirectory: "web",
              timeoutMinutes: 15,
              continueOnError: true,
            }),
            { ...run("pwsh ./x.ps1"), action: { case: "run" as const, value: { command: "./x.ps1", shell: "pwsh" } } },
            run("echo ${{ steps.unit.outcome }}", { condition: "${{ always() }}" }),
          ],
        }),
      ]),
    );
    expect(wf.jobs.test.steps[1]).toEqual({
      name: "Unit tests",
      id: "unit",
      if: "github.event_name == 'push'",
      "working-directory": "web",
      env: { CI: "true", NODE_ENV: "test" },
      "timeout-minutes": 15,
      "continue-on-error": true,
      run: "npm test",
    });
    expect(wf.jobs.test.steps[2]).toEqual({ shell: "pwsh", run: "./x.ps1" });
    expect(wf.jobs.test.steps[3].if).toBe("${{ always() }}");
  });

  it("merges passthrough at job and step level, and renders a github provider override instead of the step", async () => {
    const { wf, codes } = await generateValid(
      request([
        job("deploy", {
          timeoutMinutes: 20,
          env: { A: "1" },
          passthrough: {
            github: {
              environment: { name: "production", url: "https://example.com" },
              env: { B: "2" },
              "timeout-minutes": 30,
              checkout: false,
            },
          },
          steps: [
            uses(
              "actions/upload-artifact@v4",
              { name: "dist", path: "dist/" },
              { passthrough: { github: { with: { "retention-days": 5 } } } },
            ),
            run("./deploy.sh", {
              name: "Deploy",
              condition: "github.ref == 'refs/heads/main'",
              providerOverrides: [{ provider: "github", step: uses("some-org/deploy-action@v2", { target: "prod" }) }],
            }),
          ],
        }),
      ]),
    );
    expect(codes).toEqual([]);
    const d = wf.jobs.deploy;
    expect(Object.keys(d)).toEqual(["runs-on", "environment", "timeout-minutes", "env", "steps"]);
    expect(d.environment).toEqual({ name: "production", url: "https://example.com" });
    expect(d["timeout-minutes"]).toBe(30);
    expect(d.env).toEqual({ A: "1", B: "2" });
    // checkout = false: no checkout step, and the key itself is not rendered.
    expect(d.steps[0]).toEqual({ uses: "actions/upload-artifact@v4", with: { name: "dist", path: "dist/", "retention-days": 5 } });
    expect(d.steps[1]).toEqual({
      name: "Deploy",
      if: "github.ref == 'refs/heads/main'",
      uses: "some-org/deploy-action@v2",
      with: { target: "prod" },
    });
  });

  it("prepends no checkout when the job has its own", async () => {
    const { wf } = await generateValid(
      request([
        job("a", { steps: [{ action: { case: "checkout", value: { fetchDepth: 0, submodules: true } } }, run("make")] }),
        job("b", { steps: [uses("actions/checkout@v4", { "fetch-depth": 2 }), run("make")] }),
      ]),
    );
    expect(wf.jobs.a.steps[0]).toEqual({ uses: "actions/checkout@v4", with: { "fetch-depth": 0, submodules: true } });
    expect(wf.jobs.b.steps.filter((s: { uses?: string }) => s.uses?.startsWith("actions/checkout"))).toHaveLength(1);
  });
});
