import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MISBEHAVING, REPO_ROOT } from "./process-helpers.js";

const CIG = join(REPO_ROOT, "core/bin/cig.js");

function cig(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CIG, ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("cig CLI", () => {
  it("plugin info starts a std plugin and detects the bundled example", () => {
    const r = cig(["--cwd", "examples/node-app", "plugin", "info", "lang/node", "--detect"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("handshake     1|1|stdio|fd:0|grpc");
    expect(r.stdout).toContain("node_version=20.11.1");
    expect(r.stdout).toContain("package_manager=pnpm");
    expect(r.stdout).not.toContain("\u001b[");
  });

  it("--json prints Info and detection as JSON", () => {
    const r = cig(["--json", "--cwd", "examples/node-app", "plugin", "info", "lang/node", "--detect"]);
    const out = JSON.parse(r.stdout) as { plugins: Array<{ name: string; hooks: string[]; detect: { facts: Record<string, string> } }> };
    expect(out.plugins[0]).toMatchObject({ name: "lang/node", hooks: ["detect", "plan"], detect: { facts: { node_version: "20.11.1" } } });
  });

  it("a missing plugin: code, hint, exit 3, no stack trace", () => {
    const r = cig(["plugin", "info", "./does-not-exist"]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("error[CIG_PLUGIN_NOT_FOUND]");
    expect(r.stderr).toContain("hint:");
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
  });

  it("a crashing plugin fails conformance with CIG_PLUGIN_CRASHED", () => {
    const r = cig(["plugin", "test", MISBEHAVING, "--", "panic"]);
    expect(r.status).toBe(6);
    expect(r.stdout).toContain("CIG_PLUGIN_CRASHED");
    expect(r.stdout).toMatch(/\d+ passed, [1-9]\d* failed/);
  });

  it("errors in --json mode are JSON on stdout", () => {
    const r = cig(["--json", "plugin", "info", MISBEHAVING, "wrong-protocol"]);
    // "wrong-protocol" is taken as a second plugin spec here, which does not exist.
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: "CIG_PLUGIN_NOT_FOUND", hint: expect.any(String) } });
  });

  it("usage errors exit 2 with a suggestion", () => {
    const r = cig(["plugin", "infp"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error[CIG_USAGE]");
    expect(r.stderr).toContain("Did you mean info?");
  });

  it("rejects a bad timeout value", () => {
    const r = cig(["--plugin-timeout", "soon", "plugin", "info", "lang/node"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--plugin-timeout must be a positive number");
  });

  it("colours only when asked", () => {
    const r = cig(["plugin", "info", "./does-not-exist"], { FORCE_COLOR: "1" });
    expect(r.stderr).toContain("\u001b[31merror[CIG_PLUGIN_NOT_FOUND]");
    const plain = cig(["plugin", "info", "./does-not-exist"], { FORCE_COLOR: "1", NO_COLOR: "1" });
    expect(plain.stderr).not.toContain("\u001b[");
  });

  it("--version prints the core version", () => {
    expect(cig(["--version"]).stdout.trim()).toBe("0.1.0");
  });
});

describe("cig CLI signals", () => {
  it("Ctrl-C (SIGINT) during a run leaves no plugin behind", async () => {
    const { spawn } = await import("node:child_process");
    const { groupMembers, eventually } = await import("./process-helpers.js");
    // A plugin that ignores EOF on fd 0 and never answers: only cig itself can reap it.
    const child = spawn(process.execPath, [CIG, "--plugin-timeout", "60000", "plugin", "test", MISBEHAVING, "--", "garbage-stubborn"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    await eventually(() => out.includes("handshake and Info"), 10_000);
    const pid = Number(/\(pid (\d+)\)/.exec(out)?.[1] ?? 0);
    expect(pid).toBeGreaterThan(0);
    expect(groupMembers(pid).length).toBe(1);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(130);
    expect(await eventually(() => groupMembers(pid).length === 0, 3000)).toBe(true);
  });
});
