import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stdPlugins } from "../src/cli/std-plugins.js";
import { runConformance } from "../src/conformance/run-conformance.js";
import { MISBEHAVING, REPO_ROOT } from "./process-helpers.js";

const CIG = join(REPO_ROOT, "core/bin/cig.js");
const PYTHON_PLUGIN = join(REPO_ROOT, "examples/plugins/python-policy/cig-plugin-python-policy");

function cig(...args: string[]) {
  return spawnSync(process.execPath, [CIG, ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
}

describe("conformance runner, through the built cig CLI", () => {
  // Every std plugin, by its registered name, as a real process (one test
  // here instead of a copy in each plugin package).
  const STD = [...stdPlugins().keys()].sort();

  it("all the std plugins this build ships are registered", () => {
    expect(STD).toEqual([
      "db/postgres",
      "db/redis",
      "lang/go",
      "lang/node",
      "lang/python",
      "lang/ruby",
      "provider/buildkite",
      "provider/circleci",
      "provider/github",
      "provider/gitlab",
      "provider/jenkins",
    ]);
  });

  it.each(STD)("the std plugin %s passes", (name) => {
    const r = cig("plugin", "test", name);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(new RegExp(`${name.replace("/", "\\/")} 0\\.1\\.0: \\d+ passed, 0 failed`));
    expect(r.status).toBe(0);
  });

  it("the Python example plugin (Debian grpcio, unix transport) passes", () => {
    // Fails, never skips, when Debian's python3-grpcio is missing: .ci/run installs it.
    expect(existsSync(PYTHON_PLUGIN)).toBe(true);
    const r = cig("plugin", "test", PYTHON_PLUGIN);
    expect(r.stdout).toContain("unix transport");
    expect(r.stdout).toMatch(/example\/python-policy 0\.1\.0: \d+ passed, 0 failed/);
    expect(r.status).toBe(0);
  });

  it("--json gives a machine-readable report", () => {
    const r = cig("--json", "plugin", "test", "lang/node");
    const report = JSON.parse(r.stdout) as { plugin: string; failed: number; checks: Array<{ name: string; ok: boolean }> };
    expect(report.plugin).toBe("lang/node");
    expect(report.failed).toBe(0);
    expect(report.checks.map((c) => c.name)).toContain("refuses to serve without the magic cookie");
  });
});

describe("conformance runner catches misbehaviour", () => {
  const run = (scenario: string) => runConformance({ command: MISBEHAVING, args: [scenario] }, { timeouts: { detect: 2000 } });

  it("a well-behaved plugin passes", async () => {
    const report = await run("ok");
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("stdout garbage fails the detect and hygiene checks", async () => {
    const report = await run("garbage-stdout");
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failed).toContain("detect: empty request");
    expect(failed).toContain("stdout hygiene: the link is intact after every call");
  });

  it("a plugin that cannot start fails at the handshake", async () => {
    const report = await run("bad-handshake");
    expect(report.checks.find((c) => c.name === "handshake and Info")).toMatchObject({
      ok: false,
      detail: expect.stringContaining("CIG_PLUGIN_BAD_HANDSHAKE"),
    });
    expect(report.failed).toBeGreaterThan(0);
  });

  it("non-deterministic replies fail", async () => {
    const report = await run("env");
    // env replies are deterministic; a random one must not be.
    expect(report.failed).toBe(0);
    const random = await run("random");
    expect(random.checks.filter((c) => !c.ok).map((c) => c.detail)).toContain("two identical requests gave different replies");
  });

  it("a plugin that does not refuse without the cookie fails that check", async () => {
    const report = await runConformance({ command: "/bin/sh", args: ["-c", "exit 0"] }, { startTimeoutMs: 500 });
    expect(report.checks[0]).toMatchObject({ name: "refuses to serve without the magic cookie", ok: false });
  });
});
