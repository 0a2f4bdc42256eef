import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { CapabilityRegistry, CORE_VERSION, capabilityMatches, ERROR_CODES, type LogEntry, parseHandshakeLine } from "../src/index.js";
import { StderrCollector } from "../src/plugin-host/stderr-collector.js";
import { REPO_ROOT } from "./process-helpers.js";

describe("handshake line", () => {
  it("parses stdio and unix lines and ignores unknown trailing fields", () => {
    expect(parseHandshakeLine("1|1|stdio|fd:0|grpc")).toEqual({
      ok: true,
      handshake: { handshakeVersion: 1, protocol: 1, transport: "stdio", address: "fd:0" },
    });
    expect(parseHandshakeLine("1|2|unix|/tmp/a/p.sock|grpc|future|fields\n")).toMatchObject({
      ok: true,
      handshake: { protocol: 2, transport: "unix" },
    });
  });

  it.each([
    ["hello", /5 "\|"-separated fields/],
    ["2|1|stdio|fd:0|grpc", /handshake version "2"/],
    ["1|x|stdio|fd:0|grpc", /not a positive integer/],
    ["1|1|tcp|127.0.0.1:1234|grpc", /unknown transport "tcp"/],
    ["1|1|stdio|fd:0|netrpc", /expected grpc/],
    ["1|1|unix|relative.sock|grpc", /absolute socket path/],
  ])("rejects %j", (line, reason) => {
    const r = parseHandshakeLine(line);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe("capabilities", () => {
  it("matches wildcards by namespace only", () => {
    expect(capabilityMatches("lang:*", "lang:ruby")).toBe(true);
    expect(capabilityMatches("lang:*", "language:ruby")).toBe(false);
    expect(capabilityMatches("provider:github", "provider:github")).toBe(true);
    expect(capabilityMatches("*", "anything:x")).toBe(true);
  });

  it("reports every unmet requirement at once", () => {
    const reg = new CapabilityRegistry([
      { name: "a/x", capabilities: ["provider:circleci"], requires: ["cache:*", "lang:*"], conflictsWith: [] },
      { name: "a/y", capabilities: [], requires: ["step:docker"], conflictsWith: [] },
    ]);
    expect(() => reg.check()).toThrow(/a\/x requires cache:\*[\s\S]*a\/x requires lang:\*[\s\S]*a\/y requires step:docker/);
  });

  it("does not let a plugin satisfy its own requirement", () => {
    const reg = new CapabilityRegistry([{ name: "a/x", capabilities: ["cache:s3"], requires: ["cache:*"], conflictsWith: [] }]);
    expect(() => reg.check()).toThrow(/requires cache:\*/);
  });
});

describe("stderr collector", () => {
  async function collect(text: string) {
    const stream = new PassThrough();
    const logs: LogEntry[] = [];
    const c = new StderrCollector(stream, "acme/p", (e) => logs.push(e));
    stream.end(text);
    await c.drained();
    return { logs, c };
  }

  it("maps JSON levels of common loggers and keeps extra fields", async () => {
    const { logs } = await collect(
      '{"level":"warn","msg":"a","k":1}\n{"@level":"debug","@message":"b"}\n{"levelname":"ERROR","message":"c"}\n{"level":30,"msg":"d"}\nplain\r\n',
    );
    expect(logs).toEqual([
      { level: "warn", source: "acme/p", msg: "a", fields: { k: 1 } },
      { level: "debug", source: "acme/p", msg: "b" },
      { level: "error", source: "acme/p", msg: "c" },
      { level: "info", source: "acme/p", msg: "d" },
      { level: "info", source: "acme/p", msg: "plain" },
    ]);
  });

  it("captures a crash report from the first panic line on, and keeps a bounded tail", async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const { c } = await collect(`${lines.join("\n")}\npanic: runtime error: index out of range\ngoroutine 1 [running]:\nmain.main()\n`);
    expect(c.crashReport()).toEqual(["panic: runtime error: index out of range", "goroutine 1 [running]:", "main.main()"]);
    expect(c.lastLines()).toHaveLength(20);
    expect(c.lastLines().at(-1)).toBe("main.main()");
  });

  it("a structured log line ends a crash report; the latest report wins", async () => {
    const { c, logs } = await collect(
      'Traceback (most recent call last):\n  File "x.py", line 1\nKeyError: 1\n{"level":"info","msg":"recovered"}\npanic: real crash\nstack\n',
    );
    expect(c.crashReport()).toEqual(["panic: real crash", "stack"]);
    expect(logs.find((l) => l.msg === "recovered")?.level).toBe("info");
  });

  it("handles a final line without newline and very long lines", async () => {
    const { logs } = await collect(`${"x".repeat(20_000)}\nlast`);
    expect(logs.map((l) => l.msg.length)).toEqual([8192, 4]);
  });
});

describe("versions and error codes", () => {
  it("CORE_VERSION equals core/package.json", () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "core/package.json"), "utf8")) as { version: string };
    expect(CORE_VERSION).toBe(pkg.version);
  });

  it("every error code is documented in docs/errors.md with its exit code", () => {
    const doc = readFileSync(join(REPO_ROOT, "docs/errors.md"), "utf8");
    for (const [code, exit] of Object.entries(ERROR_CODES)) {
      expect(doc, code).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${exit}\\s*\\|`));
    }
  });
});
