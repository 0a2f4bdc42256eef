import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./process-helpers.js";

const CIG = join(REPO_ROOT, "core/bin/cig.js");

const CONFIG = `version = "0.2"

[project]
default_runner = "linux"

[runners.linux]
github = { runs-on = "ubuntu-24.04" }

[caches.build]
paths = [".cache/build"]
key_parts = ["pnpm-lock.yaml"]

[jobs.lint]
packages = ["node"]
steps = [{ run = "pnpm lint" }]

[jobs.test]
needs = ["lint"]
packages = ["node"]
matrix = { node = ["18", "20"], os = ["ubuntu"] }
caches = ["build"]
env = { CI = "1" }
steps = [{ name = "Unit tests", run = "pnpm test" }]

[jobs.test.services.mailhog]
image = "mailhog/mailhog:v1.0.1"

[jobs.deploy]
needs = ["test"]
steps = [{ run = "bin/deploy" }]

[jobs.idle]
`;

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cig-explain-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "shop", packageManager: "pnpm@9.15.0" }));
  writeFileSync(join(dir, ".nvmrc"), "20.11.1\n");
  writeFileSync(join(dir, "cig.toml"), CONFIG);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cig(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [CIG, "--cwd", cwd, ...args], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: "1", CIG_CONFIG: "", CIG_CWD: "" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("cig explain job", () => {
  it("shows where a job is defined, its runner, variants, dependencies both ways and who contributed each step", () => {
    const r = cig(["explain", "job", "test"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).not.toContain("\u001b[");
    expect(out).toMatch(/^Job test, defined at cig\.toml:17:7\n/);
    expect(out).toContain('Runner\n  linux (project.default_runner)\n  github     { runs-on: "ubuntu-24.04" }');
    expect(out).toContain("Matrix (2 variants)\n  test-node18-ubuntu  node=18 os=ubuntu\n  test-node20-ubuntu  node=20 os=ubuntu");
    expect(out).toContain("  needs      lint\n  needed by  deploy\n");
    expect(out).toMatch(/1\. Set up pnpm +← lang\/node \(setup, order 10\)\n +set up pnpm 9\.15\.0/);
    expect(out).toMatch(/2\. Set up Node\.js +← lang\/node \(setup, order 20\)/);
    expect(out).toMatch(/\d\. Unit tests +← cig\.toml steps\[0\] \(cig\.toml:23:\d+\)\n +run: pnpm test/);
    expect(out).toContain("services   mailhog (mailhog/mailhog:v1.0.1, from cig.toml)");
    expect(out).toContain("caches     build (paths .cache/build; key pnpm-lock.yaml)");
    expect(out).toContain("env        CI=1");
    expect(out).toContain("Diagnostics\n  none\n");
  });

  it("accepts a variant id and marks it; reverse edges name the variants that need a job", () => {
    const v = cig(["explain", "job", "test-node20-ubuntu"]);
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/^Job test, variant test-node20-ubuntu, defined at cig\.toml:17:7\n/);
    expect(v.stdout).toContain("    test-node18-ubuntu  node=18 os=ubuntu\n  > test-node20-ubuntu  node=20 os=ubuntu\n");
    const lint = cig(["explain", "job", "lint"]);
    expect(lint.stdout).toContain("needed by  test → test-node18-ubuntu, test-node20-ubuntu");
    expect(lint.stdout).toContain("Matrix\n  no matrix: one variant");
  });

  it("--json gives the same as an object", () => {
    const r = cig(["--json", "explain", "job", "test"]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    // No skip_if or inputs: it always runs, and hashes only what lang/node installs from (packages = ["node"]).
    expect(out.signature).toMatchObject({ should_run: true, reason: "not_skippable", skippable: false, inputs: { every_file: false } });
    expect(out.signature.inputs.files.map((f: { path: string }) => f.path)).toEqual([".nvmrc", "package.json"]);
    expect(out.signature.signature).toMatch(/^blake3:[0-9a-f]{64}$/);
    expect(Object.keys(out)).toEqual([
      "config",
      "job",
      "variant",
      "defined",
      "ok",
      "runner",
      "variants",
      "dependencies",
      "steps",
      "resolved",
      "signature",
      "diagnostics",
    ]);
    expect(out).toMatchObject({
      config: "cig.toml",
      job: "test",
      variant: null,
      defined: "cig.toml:17:7",
      ok: true,
      runner: { name: "linux", providers: { github: { "runs-on": "ubuntu-24.04" } } },
      variants: [
        { id: "test-node18-ubuntu", values: { node: "18", os: "ubuntu" } },
        { id: "test-node20-ubuntu", values: { node: "20", os: "ubuntu" } },
      ],
      dependencies: { needs: [{ job: "lint", variants: ["lint"] }], neededBy: [{ job: "deploy", variants: ["deploy"] }] },
      resolved: {
        packages: ["node"],
        services: [{ name: "mailhog", image: "mailhog/mailhog:v1.0.1", owner: "cig.toml" }],
        env: { job: { CI: "1" } },
      },
      diagnostics: [],
    });
    // Other std modules may add steps of their own; lang/node's come first (orders 10-30) and the user's last.
    const owners = out.steps.map((s: { owner: string; placement: string }) => `${s.owner}/${s.placement}`);
    expect(owners.slice(0, 3)).toEqual(["lang/node/setup", "lang/node/setup", "lang/node/setup"]);
    expect(owners.at(-1)).toBe("cig.toml/user");
    expect(out.steps.at(-1)).toMatchObject({
      name: "Unit tests",
      action: "run",
      detail: "run: pnpm test",
      order: 0,
      location: "cig.toml:23:10",
    });
  });

  it("lists the diagnostics about the job, and only those", () => {
    const idle = cig(["explain", "job", "idle"]);
    expect(idle.status).toBe(0);
    expect(idle.stdout).toContain("Diagnostics\n  warning[CIG_CONFIG_EMPTY_JOB]");
    expect(idle.stdout).toContain("Steps, in order\n  none");
    const deploy = cig(["explain", "job", "deploy"]);
    expect(deploy.stdout).not.toContain("CIG_CONFIG_EMPTY_JOB");
    expect(deploy.stdout).toContain("(1 more about other parts of cig.toml");
    const json = JSON.parse(cig(["--json", "explain", "job", "idle"]).stdout);
    expect(json.diagnostics).toEqual([
      expect.objectContaining({ level: "warning", code: "CIG_CONFIG_EMPTY_JOB", location: "cig.toml:32:7" }),
    ]);
  });

  it("an unknown id is a usage error with a did-you-mean and the known jobs", () => {
    const r = cig(["explain", "job", "tset"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error[CIG_USAGE]: no job "tset" in cig.toml');
    expect(r.stderr).toContain('Did you mean "test"? Jobs: deploy, idle, lint, test (or a matrix variant id, such as test-node18-ubuntu).');
    const prefix = cig(["explain", "job", "test-node18"]);
    expect(prefix.stderr).toContain('Did you mean "test-node18-ubuntu"?');
    const bare = cig(["explain"]);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain("job <id>");
    expect(bare.stderr).not.toContain("outputHelp");
    const json = cig(["--json", "explain", "job", "tset"]);
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: "CIG_USAGE", hint: expect.stringContaining('"test"') } });
  });

  it("a cig.toml with errors: diagnostics and exit 1 (JSON: ok false)", () => {
    const broken = mkdtempSync(join(tmpdir(), "cig-explain-bad-"));
    try {
      writeFileSync(join(broken, "cig.toml"), 'version = "0.2"\n[jobs.a]\nneeds = ["b"]\nsteps = [{ run = "x" }]\n');
      const r = cig(["explain", "job", "a"], broken);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("error[CIG_CONFIG_UNKNOWN_NEEDS]");
      const json = cig(["--json", "explain", "job", "a"], broken);
      expect(json.status).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({
        job: "a",
        ok: false,
        diagnostics: [expect.objectContaining({ code: "CIG_CONFIG_UNKNOWN_NEEDS" })],
      });
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
