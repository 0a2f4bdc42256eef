import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Diagnostic_Level } from "@cig/proto";
import { afterEach, describe, expect, it } from "vitest";
import { type InitDetection, planStacks, renderInitToml } from "../src/cli/init-toml.js";
import { stdPlugins } from "../src/cli/std-plugins.js";
import { loadConfig } from "../src/config/index.js";
import { REPO_ROOT } from "./process-helpers.js";

const CIG = join(REPO_ROOT, "core/bin/cig.js");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "cig-init-"));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function cig(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [CIG, "--cwd", cwd, ...args], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: "1", CIG_CONFIG: "", CIG_CWD: "" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const errorsOf = (text: string) => loadConfig(text, "cig.toml").diagnostics.filter((d) => d.level === Diagnostic_Level.ERROR);

const NODE_APP = {
  "package.json": JSON.stringify({ name: "shop", packageManager: "pnpm@9.15.0", scripts: { test: "node --test" } }),
  ".nvmrc": "20.11.1\n",
};

describe("cig init", () => {
  it("detects Node, writes a commented cig.toml that loads cleanly, and `cig render` renders it", () => {
    const dir = repo(NODE_APP);
    const r = cig(dir, ["init"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const text = readFileSync(join(dir, "cig.toml"), "utf8");
    const lines = text.split("\n").length - 1;
    expect(r.stdout).toBe(
      `Detecting project...\n  ✓ Node 20.11.1 detected (pnpm 9.15.0) (lang/node)\n\nWrote cig.toml (${lines} lines). Next: \`cig plan\`\n`,
    );
    expect(text.split("\n")[0]).toMatch(/^#:schema \S+\/core\/schema\/cig\.schema\.json$/);
    expect(text).toContain('version = "0.2"');
    expect(text).toContain('[project]\nname = "shop"\ndefault_runner = "linux"');
    expect(text).toContain('[runners.linux]\ngithub = { runs-on = "ubuntu-latest" }');
    expect(text).toMatch(/\[jobs\.test\]\npackages = \["node"\] +# set up by lang\/node\nsteps = \[\{ run = "pnpm test" \}\]/);
    expect(text).toContain('[[outputs]]\nprovider = "github"\npath = ".github/workflows/ci.yml"');
    expect(text.match(/docs\/cig-toml\.md/g)?.length).toBeGreaterThanOrEqual(6);
    expect(loadConfig(text, "cig.toml").diagnostics).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.endsWith(".cig-tmp"))).toEqual([]);

    const render = cig(dir, ["render"]);
    expect(render.stderr).toBe("");
    expect(render.status).toBe(0);
    const workflow = readFileSync(join(dir, ".github/workflows/ci.yml"), "utf8");
    expect(workflow).toContain("run: pnpm test");
    expect(workflow).toContain("node-version: 20.11.1");
  });

  it("refuses to overwrite an existing cig.toml unless --force", () => {
    const dir = repo({ ...NODE_APP, "cig.toml": "# mine\n" });
    const r = cig(dir, ["init"]);
    expect(r.status).toBe(7);
    expect(r.stderr).toContain("error[CIG_OUTPUT_NOT_OURS]: refusing to overwrite cig.toml: it already exists");
    expect(r.stderr).toContain("--force");
    expect(readFileSync(join(dir, "cig.toml"), "utf8")).toBe("# mine\n");
    const forced = cig(dir, ["init", "--force"]);
    expect(forced.status).toBe(0);
    expect(readFileSync(join(dir, "cig.toml"), "utf8")).toContain('packages = ["node"]');
  });

  it("--json prints the path, every detection and the content", () => {
    const dir = repo(NODE_APP);
    const r = cig(dir, ["--json", "init"]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { path: string; detections: Array<Record<string, unknown>>; content: string };
    expect(Object.keys(out)).toEqual(["path", "detections", "content"]);
    expect(out.path).toBe("cig.toml");
    expect(out.detections).toContainEqual(
      expect.objectContaining({ plugin: "lang/node", enabled: true, facts: expect.objectContaining({ node_version: "20.11.1" }) }),
    );
    expect(out.content).toBe(readFileSync(join(dir, "cig.toml"), "utf8"));
  });

  it("writes a commented skeleton when nothing is detected, which renders too", () => {
    const dir = repo({ "README.md": "hello\n" });
    const r = cig(dir, ["init"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("nothing detected");
    const text = readFileSync(join(dir, "cig.toml"), "utf8");
    expect(text).toContain("so this one is a skeleton");
    expect(text).toContain('# packages = ["node"]');
    expect(errorsOf(text)).toEqual([]);
    expect(cig(dir, ["render"]).status).toBe(0);
  });

  it("points #:schema into node_modules when @cig/core is a dependency", () => {
    const dir = repo({ "package.json": JSON.stringify({ name: "app", devDependencies: { "@cig/core": "^0.1.0" } }) });
    expect(cig(dir, ["init"]).status).toBe(0);
    const text = readFileSync(join(dir, "cig.toml"), "utf8");
    expect(text.split("\n")[0]).toBe("#:schema ./node_modules/@cig/core/schema/cig.schema.json");
    expect(text).toContain("follows the cig");
  });
});

describe("cig init with the ruby and database modules", () => {
  it("those modules are registered std plugins", () => {
    const std = stdPlugins();
    for (const name of ["lang/ruby", "db/postgres", "db/redis"]) expect(std.has(name), name).toBe(true);
  });

  it("a Rails-like app: a job per stack, databases on Ruby's, and it renders", () => {
    const dir = repo({
      Gemfile: 'source "https://rubygems.org"\ngem "rails"\ngem "pg"\ngem "redis"\n',
      "Gemfile.lock": "GEM\n  remote: https://rubygems.org/\n  specs:\n    pg (1.5.4)\n    redis (5.0.8)\n\nDEPENDENCIES\n  pg\n  redis\n",
      ".ruby-version": "3.3.0\n",
      "spec/app_spec.rb": "",
      "package.json": JSON.stringify({ name: "rails-app", scripts: { test: "jest" } }),
      "package-lock.json": "{}",
    });
    const r = cig(dir, ["init"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Ruby 3.3.0 detected (lang/ruby)");
    expect(r.stdout).toContain("postgres detected (db/postgres)");
    const text = readFileSync(join(dir, "cig.toml"), "utf8");
    expect(errorsOf(text)).toEqual([]);
    expect(text).toMatch(
      /\[jobs\.test-ruby\]\npackages = \["ruby"\].*\nservices = \["postgres", "redis"\].*\nsteps = \[\{ run = "bundle exec rspec" \}\]/,
    );
    expect(text).toMatch(/\[jobs\.test-node\]\npackages = \["node"\].*\nsteps = \[\{ run = "npm test" \}\]/);
    const render = cig(dir, ["render"]);
    expect(render.stderr).toBe("");
    expect(render.status).toBe(0);
  });
});

describe("the cig.toml init writes, per detected stack", () => {
  const det = (plugin: string, facts: Record<string, string> = {}): InitDetection => ({
    plugin,
    capabilities: plugin.startsWith("lang/") ? [`package:${plugin.slice(5)}`] : [],
    facts,
    confidence: 0.9,
    summary: "",
  });
  const render = (ds: InitDetection[], paths: string[] = [], nodeTestScript = true) =>
    renderInitToml({
      projectName: 'we "quote" \\ things',
      schema: "./node_modules/@cig/core/schema/cig.schema.json",
      schemaNote: "note",
      ...planStacks(ds, { hasPath: (p) => paths.some((x) => x.startsWith(p)), nodeTestScript }),
    });

  it("a Rails-like app: one job per stack, databases on the Ruby job, rspec when spec/ exists", () => {
    const text = render(
      [det("db/postgres"), det("db/redis"), det("lang/node", { package_manager: "yarn" }), det("lang/ruby")],
      ["spec/a_spec.rb"],
    );
    expect(errorsOf(text)).toEqual([]);
    const schema = loadConfig(text, "cig.toml").schema;
    expect(schema?.project?.name).toBe('we "quote" \\ things');
    const jobs = Object.fromEntries((schema?.jobs ?? []).map((j) => [j.id, j]));
    expect(Object.keys(jobs).sort()).toEqual(["test-node", "test-ruby"]);
    expect(jobs["test-ruby"]?.services.map((s) => s.name)).toEqual(["postgres", "redis"]);
    expect(jobs["test-node"]?.services).toEqual([]);
    const run = (id: string) => (jobs[id]?.steps[0]?.action.case === "run" ? jobs[id]?.steps[0]?.action.value.command : undefined);
    expect(run("test-ruby")).toBe("bundle exec rspec");
    expect(run("test-node")).toBe("yarn test");
  });

  it("ruby without spec/, python, go and an unknown toolchain", () => {
    for (const [d, command] of [
      [det("lang/ruby"), "bundle exec rake test"],
      [det("lang/python"), "pytest"],
      [det("lang/python", { python_package_manager: "poetry" }), "poetry run pytest"],
      [det("lang/go"), "go test ./..."],
      [det("lang/zig"), 'echo "TODO: the zig test command"'],
    ] as const) {
      const text = render([d]);
      expect(errorsOf(text)).toEqual([]);
      expect(text).toContain(`steps = [{ run = ${JSON.stringify(command)} }]`);
    }
  });

  it("services alone go on the skeleton job; a Node-only app gets them on its job", () => {
    const skeleton = render([det("db/postgres")]);
    expect(errorsOf(skeleton)).toEqual([]);
    expect(skeleton).toMatch(/\[jobs\.test\]\n# packages = \["node"\]\nservices = \["postgres"\]/);
    const node = render([det("lang/node"), det("db/redis")], [], false);
    expect(errorsOf(node)).toEqual([]);
    expect(node).toContain('services = ["redis"]');
    expect(node).toContain('package.json has no "test" script yet');
  });
});
