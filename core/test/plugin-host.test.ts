import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { MAGIC_COOKIE_KEY } from "@cig/proto";
import { afterEach, describe, expect, it } from "vitest";
import { type LogEntry, PluginHost } from "../src/index.js";
import { eventually, groupMembers, isRunning, MISBEHAVING, REPO_ROOT } from "./process-helpers.js";

const hosts: PluginHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.shutdown()));
});

async function host(commands: Array<{ command: string; args?: string[] }>, options = {}) {
  const h = await PluginHost.start(commands, options);
  hosts.push(h);
  return h;
}
const scenario = (...args: string[]) => ({ command: MISBEHAVING, args });

describe("plugin lifecycle", () => {
  it("starts, answers Info and hooks, and exits cleanly on shutdown", async () => {
    const h = await host([scenario("ok")]);
    const p = h.plugins[0];
    expect(p?.info.name).toBe("test/misbehaving");
    expect(p?.info.protocol).toBe(1);
    expect((await p?.detect({}))?.facts).toEqual({ scenario: "ok" });
    await h.shutdown();
    expect(p?.process.exited).toEqual({ code: 0, signal: null });
  });

  it("starts plugins in parallel and keeps them apart", async () => {
    const names = ["a", "b", "c", "d", "e"];
    const h = await host(names.map((n) => scenario("caps", JSON.stringify({ name: `test/${n}`, capabilities: [`test:${n}`] }))));
    expect(h.plugins.map((p) => p.name)).toEqual(names.map((n) => `test/${n}`));
    const pids = new Set(h.plugins.map((p) => p.process.pid));
    expect(pids.size).toBe(5);
    await Promise.all(h.plugins.map((p) => p.detect({})));
  });

  it("serves over the unix-socket fallback transport", async () => {
    const h = await host([scenario("unix")]);
    const p = h.plugins[0];
    expect(p?.process.handshake.transport).toBe("unix");
    expect((await p?.detect({}))?.signals).toEqual(["unix"]);
    await h.shutdown();
    expect(p?.process.exited?.code).toBe(0);
  });

  it("plugins exit by themselves when the core is SIGKILLed (no orphans)", async () => {
    for (const s of ["ok", "unix"]) {
      const core = spawn(process.execPath, [join(REPO_ROOT, "core/dist/conformance/orphan-probe.js"), MISBEHAVING, s], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      const pid = await new Promise<number>((resolve) => core.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))));
      expect(isRunning(pid)).toBe(true);
      core.kill("SIGKILL");
      expect(await eventually(() => groupMembers(pid).length === 0, 5000)).toBe(true);
    }
  });

  it("stays usable after idling longer than every internal timer (regression: the link closed at 5 s)", async () => {
    const h = await host([scenario("ok")]);
    await new Promise((r) => setTimeout(r, 6000));
    expect((await h.plugins[0]?.detect({}))?.signals).toEqual(["ok"]);
  }, 20_000);

  it("a plugin run by hand says what it is and exits 1", () => {
    const env = { ...process.env };
    delete env[MAGIC_COOKIE_KEY];
    const r = spawnSync(MISBEHAVING, ["ok"], { env, encoding: "utf8", timeout: 10_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("This is a cig plugin");
    expect(r.stdout).toBe("");
  });
});

describe("environment and logs", () => {
  it("passes an allow-listed environment, not the core's", async () => {
    process.env.CIG_TEST_SECRET_TOKEN = "hunter2";
    process.env.NODE_EXTRA_CA_CERTS = "/nonexistent.pem";
    try {
      const h = await host([scenario("env")]);
      const env = (await h.plugins[0]?.detect({}))?.facts ?? {};
      expect(env.CIG_TEST_SECRET_TOKEN).toBeUndefined();
      expect(env.NODE_EXTRA_CA_CERTS).toBeUndefined();
      expect(env.PATH).toBe(process.env.PATH);
      expect(env.CIG_PLUGIN_PROTOCOL_VERSIONS).toBe("1");
      expect(env.CIG_PLUGIN_HANDSHAKE_FD).toBe("3");
    } finally {
      delete process.env.CIG_TEST_SECRET_TOKEN;
      delete process.env.NODE_EXTRA_CA_CERTS;
    }
  });

  it("passes extra variables the user allowed", async () => {
    process.env.CIG_TEST_ALLOWED = "yes";
    try {
      const h = await host([scenario("env")], { extraEnv: ["CIG_TEST_ALLOWED"] });
      expect((await h.plugins[0]?.detect({}))?.facts.CIG_TEST_ALLOWED).toBe("yes");
    } finally {
      delete process.env.CIG_TEST_ALLOWED;
    }
  });

  it("re-logs JSON and plain stderr lines under the plugin's name", async () => {
    const logs: LogEntry[] = [];
    const h = await host([scenario("logs")], { sink: (e: LogEntry) => logs.push(e) });
    await h.plugins[0]?.detect({});
    await eventually(() => logs.some((l) => l.msg === "console.log goes to stderr"));
    expect(logs).toContainEqual({ level: "warn", source: "test/misbehaving", msg: "deprecated field", fields: { field: "packages" } });
    expect(logs).toContainEqual({ level: "info", source: "test/misbehaving", msg: "plain text line" });
    expect(logs).toContainEqual({ level: "info", source: "test/misbehaving", msg: "console.log goes to stderr" });
  });

  it("drains stderr so that a chatty plugin never blocks", async () => {
    const h = await host([scenario("chatty")]);
    expect((await h.plugins[0]?.detect({}))?.signals).toEqual(["chatty"]);
  });
});

describe("capabilities", () => {
  const caps = (o: object) => scenario("caps", JSON.stringify(o));

  it("two owners of provider:github conflict, naming both", async () => {
    await expect(PluginHost.start([scenario("provider-github", "one"), scenario("provider-github", "two")])).rejects.toMatchObject({
      code: "CIG_CAPABILITY_CONFLICT",
      message: expect.stringContaining("test/one and test/two both provide provider:github"),
    });
  });

  it("unmet requirements name the plugin and what it needs", async () => {
    await expect(
      PluginHost.start([caps({ name: "test/circleci", capabilities: ["provider:circleci"], requires: ["cache:*"] })]),
    ).rejects.toMatchObject({
      code: "CIG_CAPABILITY_UNMET",
      message: expect.stringContaining("test/circleci requires cache:*"),
    });
  });

  it("wildcard requirements are met by any capability in the namespace", async () => {
    const h = await host([
      caps({ name: "test/circleci", capabilities: ["provider:circleci"], requires: ["cache:*", "lang:*"] }),
      caps({ name: "test/s3", capabilities: ["cache:s3"] }),
      caps({ name: "test/ruby", capabilities: ["lang:ruby"] }),
    ]);
    expect(h.capabilities.providers("cache:*")).toEqual(["test/s3"]);
  });

  it("declared conflicts name both plugins", async () => {
    await expect(
      PluginHost.start([
        caps({ name: "test/s3", capabilities: ["cache:s3"], conflictsWith: ["cache:gcs"] }),
        caps({ name: "test/gcs", capabilities: ["cache:gcs"] }),
      ]),
    ).rejects.toMatchObject({ code: "CIG_CAPABILITY_CONFLICT", message: expect.stringContaining("test/gcs and test/s3 conflict") });
  });

  it("a plugin loaded twice is an error", async () => {
    await expect(PluginHost.start([scenario("ok"), scenario("ok")])).rejects.toMatchObject({ code: "CIG_PLUGIN_DUPLICATE" });
  });

  it("bad Info is rejected", async () => {
    await expect(PluginHost.start([caps({ name: "NotNamespaced", capabilities: [] })])).rejects.toMatchObject({
      code: "CIG_PLUGIN_BAD_INFO",
    });
  });
});
