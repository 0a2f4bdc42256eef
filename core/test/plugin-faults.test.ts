import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type CigError, type ErrorCode, type HostOptions, isCigError, type LoadedPlugin, PluginHost } from "../src/index.js";
import { eventually, groupMembers, isRunning, MISBEHAVING } from "./process-helpers.js";

// The fault matrix of the plugin host: every way a plugin can misbehave gives
// a CigError with a code, the plugin, the hook, exit status, stderr and a hint,
// and leaves no process behind.

const hosts: PluginHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.shutdown()));
});

async function start(scenario: string, arg?: string, options: HostOptions = {}): Promise<LoadedPlugin> {
  const host = await PluginHost.start([{ command: MISBEHAVING, args: arg === undefined ? [scenario] : [scenario, arg] }], options);
  hosts.push(host);
  const plugin = host.plugins[0];
  if (!plugin) throw new Error("no plugin");
  return plugin;
}

async function startError(scenario: string, options: HostOptions = {}, command = MISBEHAVING): Promise<CigError> {
  try {
    await PluginHost.start([{ command, args: [scenario] }], options);
  } catch (err) {
    if (isCigError(err)) return err;
    throw err;
  }
  throw new Error(`scenario ${scenario} started without error`);
}

async function detectError(plugin: LoadedPlugin): Promise<CigError> {
  try {
    await plugin.detect({});
  } catch (err) {
    if (isCigError(err)) return err;
    throw err;
  }
  throw new Error("detect succeeded");
}

async function expectNoProcessLeft(pid: number | undefined) {
  expect(pid).toBeGreaterThan(0);
  expect(await eventually(() => groupMembers(pid ?? 0).length === 0)).toBe(true);
}

function expectWellFormed(err: CigError, code: ErrorCode, hook: string) {
  expect(err.code).toBe(code);
  expect(err.details.hook).toBe(hook);
  expect(err.details.plugin).toBeTruthy();
  expect(err.message).toMatch(/plugin /);
  expect(err.hint.length).toBeGreaterThan(10);
}

describe("plugins that cannot start", () => {
  it("not found", async () => {
    const err = await startError("ok", {}, "/nonexistent/cig-plugin-nope");
    expectWellFormed(err, "CIG_PLUGIN_NOT_FOUND", "start");
  });

  it("not found on PATH", async () => {
    const err = await startError("ok", {}, "cig-plugin-definitely-not-installed");
    expectWellFormed(err, "CIG_PLUGIN_NOT_FOUND", "start");
    expect(err.message).toContain("PATH");
  });

  it("not executable", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cig-test-"));
    const file = join(dir, "plugin");
    writeFileSync(file, "#!/bin/sh\nexit 0\n");
    chmodSync(file, 0o644);
    const err = await startError("ok", {}, file);
    expectWellFormed(err, "CIG_PLUGIN_NOT_EXECUTABLE", "start");
    expect(err.hint).toContain(`chmod +x ${file}`);
  });

  it("interpreter missing (spawn fails)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cig-test-"));
    const file = join(dir, "plugin");
    writeFileSync(file, "#!/nonexistent/interpreter\n");
    chmodSync(file, 0o755);
    const err = await startError("ok", {}, file);
    expect(err.code).toBe("CIG_PLUGIN_SPAWN_FAILED");
  });

  it("exits before the handshake", async () => {
    const err = await startError("exit-early");
    expectWellFormed(err, "CIG_PLUGIN_EXITED_EARLY", "handshake");
    expect(err.details.exitCode).toBe(3);
    expect(err.details.stderrTail).toContain("fatal: config file missing");
    await expectNoProcessLeft(err.details.pid);
  });

  it("bad handshake line", async () => {
    const err = await startError("bad-handshake");
    expectWellFormed(err, "CIG_PLUGIN_BAD_HANDSHAKE", "handshake");
    expect(err.message).toContain("hello from a plugin");
    await expectNoProcessLeft(err.details.pid);
  });

  it("wrong protocol names both sides and the fix", async () => {
    const err = await startError("wrong-protocol");
    expectWellFormed(err, "CIG_PLUGIN_PROTOCOL_MISMATCH", "handshake");
    expect(err.message).toMatch(/speaks protocol 99; this cig .* speaks 1/);
    expect(err.hint).toMatch(/Upgrade cig/);
    await expectNoProcessLeft(err.details.pid);
  });

  it("an older plugin gets the opposite advice", async () => {
    const err = await startError("ok", { protocols: [2, 3] });
    expect(err.code).toBe("CIG_PLUGIN_PROTOCOL_MISMATCH");
    expect(err.message).toContain("speaks protocol 1; this cig");
    expect(err.hint).toMatch(/Upgrade the plugin/);
    await expectNoProcessLeft(err.details.pid);
  });

  it("a plugin whose Info names another plugin than it was started as", async () => {
    let err: unknown;
    try {
      await PluginHost.start([{ command: MISBEHAVING, args: ["ok"], expectName: "acme/deploy" }]);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: "CIG_PLUGIN_BAD_INFO", message: expect.stringContaining("plugin acme/deploy") });
    expect((err as Error).message).toContain("reports the name test/misbehaving in Info");
  });

  it("slow start within the limit succeeds", async () => {
    const plugin = await start("slow-start", "700", { startTimeoutMs: 5000 });
    expect((await plugin.detect({})).signals).toEqual(["slow"]);
  });

  it("slow start past the limit times out", async () => {
    const err = await startError("slow-start", { startTimeoutMs: 300 });
    expectWellFormed(err, "CIG_PLUGIN_START_TIMEOUT", "handshake");
    await expectNoProcessLeft(err.details.pid);
  });

  it("garbage on stdout before serving", async () => {
    const err = await startError("garbage-stdout-start");
    expectWellFormed(err, "CIG_PLUGIN_STDOUT_GARBAGE", "info");
    await expectNoProcessLeft(err.details.pid);
  });
});

describe("plugins that fail in a call", () => {
  it("garbage on stdout mid-call", async () => {
    const plugin = await start("garbage-stdout", undefined, { timeouts: { detect: 500 } });
    const err = await detectError(plugin);
    expectWellFormed(err, "CIG_PLUGIN_STDOUT_GARBAGE", "detect");
    expect(err.message).toContain("test/misbehaving");
    await expectNoProcessLeft(plugin.process.pid);
  });

  it("garbage on stdout from a plugin that keeps running is found by a health probe", async () => {
    const plugin = await start("garbage-stubborn", undefined, { timeouts: { detect: 500 } });
    const err = await detectError(plugin);
    expectWellFormed(err, "CIG_PLUGIN_STDOUT_GARBAGE", "detect");
    expect(err.message).toContain("health probe");
    await expectNoProcessLeft(plugin.process.pid);
  });

  it("crash (SIGKILL) mid-call", async () => {
    const plugin = await start("crash");
    const err = await detectError(plugin);
    expectWellFormed(err, "CIG_PLUGIN_CRASHED", "detect");
    expect(err.details.signal).toBe("SIGKILL");
    expect(err.message).toContain("signal SIGKILL");
    expect(err.details.stderrTail).toContain("about to die");
    await expectNoProcessLeft(plugin.process.pid);
  });

  it("uncaught exception is captured as a crash report", async () => {
    const plugin = await start("panic");
    const err = await detectError(plugin);
    expectWellFormed(err, "CIG_PLUGIN_CRASHED", "detect");
    expect(err.details.exitCode).toBe(70);
    expect(err.details.crashReport?.[0]).toMatch(/^panic: uncaught exception: TypeError: cannot read properties/);
    await expectNoProcessLeft(plugin.process.pid);
  });

  it("hang past the timeout is stopped", async () => {
    const plugin = await start("hang", undefined, { timeouts: { detect: 300 } });
    const t0 = Date.now();
    const err = await detectError(plugin);
    expectWellFormed(err, "CIG_PLUGIN_TIMEOUT", "detect");
    expect(Date.now() - t0).toBeLessThan(5000);
    await expectNoProcessLeft(plugin.process.pid);
  });

  it("a plugin ignoring SIGTERM is SIGKILLed", async () => {
    const plugin = await start("hang-ignore-sigterm", undefined, { timeouts: { detect: 200 }, graceMs: 200 });
    const err = await detectError(plugin);
    expect(err.code).toBe("CIG_PLUGIN_TIMEOUT");
    await expectNoProcessLeft(plugin.process.pid);
  });

  it("malformed protobuf reply", async () => {
    const plugin = await start("malformed");
    const err = await detectError(plugin);
    expectWellFormed(err, "CIG_PLUGIN_BAD_RESPONSE", "detect");
    await expectNoProcessLeft(plugin.process.pid);
  });

  it("oversized message", async () => {
    const plugin = await start("oversized", String(2 * 1024 * 1024), { maxMessageBytes: 1024 * 1024 });
    const err = await detectError(plugin);
    expectWellFormed(err, "CIG_PLUGIN_MESSAGE_TOO_LARGE", "detect");
    // Only the message was refused: the plugin itself is still running.
    expect(isRunning(plugin.process.pid)).toBe(true);
  });

  it("oversized message at the default limit", async () => {
    const plugin = await start("oversized");
    const err = await detectError(plugin);
    expect(err.code).toBe("CIG_PLUGIN_MESSAGE_TOO_LARGE");
  });

  it("a hook that throws is a hook failure, and the plugin stays usable", async () => {
    const plugin = await start("throws");
    const err = await detectError(plugin);
    expectWellFormed(err, "CIG_PLUGIN_HOOK_FAILED", "detect");
    expect(err.message).toContain("unexpected token in Gemfile.lock");
    expect(isRunning(plugin.process.pid)).toBe(true);
  });

  it("UNKNOWN from a live plugin (a raising Python handler) is a hook failure", async () => {
    const plugin = await start("unknown-status");
    const err = await detectError(plugin);
    expectWellFormed(err, "CIG_PLUGIN_HOOK_FAILED", "detect");
    expect(err.message).toContain("KeyError('ruby')");
    expect(isRunning(plugin.process.pid)).toBe(true);
  });

  it("an unimplemented hook", async () => {
    const plugin = await start("ok");
    await expect(plugin.plan({})).rejects.toMatchObject({ code: "CIG_PLUGIN_UNIMPLEMENTED" });
  });

  it("grandchildren in the plugin's process group are killed too", async () => {
    const plugin = await start("grandchild");
    const grandchild = Number((await plugin.detect({})).facts.grandchild);
    expect(isRunning(grandchild)).toBe(true);
    await hosts.splice(0)[0]?.shutdown();
    await expectNoProcessLeft(plugin.process.pid);
    expect(await eventually(() => !isRunning(grandchild))).toBe(true);
  });
});
