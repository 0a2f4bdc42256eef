import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateSigningKey } from "@cig/core/registry";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { buildRelease, publish, REGISTRY_BIN, spawnServer, tempDir } from "./helpers.js";

/** Runs the real binary to completion. */
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [REGISTRY_BIN, ...args], { encoding: "utf8", timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs main() in-process, capturing what it prints. */
async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { status, out: out.join(""), err: err.join("") };
}

const tokenOf = (stdout: string) => /token \(shown once, keep it secret\): (cigr_[A-Za-z0-9_-]{43})$/m.exec(stdout)?.[1] as string;

describe("cig-registry serve (the real binary)", () => {
  const dataDir = tempDir();
  it("prints where it listens, answers, logs one line per request, and stops cleanly on SIGTERM", async () => {
    const server = await spawnServer(dataDir);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/.well-known/cig.json`);
    expect(await res.json()).toEqual({ "plugins.v1": "/v1/plugins/" });
    server.proc.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toMatch(/^GET \/\.well-known\/cig\.json 200 \d+ms$/m);
  });
});

describe("cig-registry namespace", () => {
  const dataDir = tempDir();
  it("add registers a key and prints a token once; the server accepts it for that namespace", async () => {
    const key = generateSigningKey();
    const r = cli("namespace", "add", "acme", "--key", key.key.public_key, "--data", dataDir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`namespace acme: key ${key.key.key_id} registered`);
    const token = tokenOf(r.stdout);
    expect(token).toBeDefined();
    expect(readFileSync(join(dataDir, "namespaces/acme.json"), "utf8")).not.toContain(token);
    const server = await spawnServer(dataDir, "--quiet");
    const body = buildRelease({ name: "acme/cli", version: "1.0.0", privatePem: key.privatePem }).body;
    expect((await publish(server.url, "acme/cli", "1.0.0", body, token)).status).toBe(201);
  });

  it("reads --key from a file, such as saved `cig keygen` output", async () => {
    const key = generateSigningKey();
    const file = join(dataDir, "team.pub");
    writeFileSync(file, `key id:     ${key.key.key_id}\npublic key: ${key.key.public_key}\n`);
    const r = await run("namespace", "add", "team", "--key", file, "--data", dataDir);
    expect(r.status, r.err).toBe(0);
    expect(JSON.parse(readFileSync(join(dataDir, "namespaces/team.json"), "utf8")).keys).toEqual([key.key]);
  });

  it("add-key adds a second key; token --revoke replaces every earlier token", async () => {
    const second = generateSigningKey();
    expect((await run("namespace", "add-key", "team", "--key", second.key.public_key, "--data", dataDir)).status).toBe(0);
    const ns = () => JSON.parse(readFileSync(join(dataDir, "namespaces/team.json"), "utf8")) as { keys: unknown[]; tokens: string[] };
    expect(ns().keys).toHaveLength(2);
    expect((await run("namespace", "token", "team", "--data", dataDir)).status).toBe(0);
    expect(ns().tokens).toHaveLength(2);
    const revoked = await run("namespace", "token", "team", "--revoke", "--data", dataDir);
    expect(tokenOf(revoked.out)).toBeDefined();
    expect(ns().tokens).toHaveLength(1);
  });

  it("refuses bad input with one error line and a hint, never a stack trace", async () => {
    for (const [args, code, status] of [
      [["namespace", "add", "acme", "--key", "ed25519:short", "--data", dataDir], "CIG_SIGNING_KEY_INVALID", 1],
      [["namespace", "add", "Bad_Name", "--key", generateSigningKey().key.public_key, "--data", dataDir], "CIG_REGISTRY_BAD_REQUEST", 1],
      [["namespace", "add", "acme", "--key", join(dataDir, "missing.pub"), "--data", dataDir], "CIG_USAGE", 2],
      [["namespace", "add", "acme", "--data", dataDir], "CIG_USAGE", 2],
      [["serve", "--port", "http", "--data", dataDir], "CIG_USAGE", 2],
      [["yank", "acme/cli", "--data", dataDir], "CIG_USAGE", 2],
      [["yank", "acme/cli@9.9.9", "--data", dataDir], "CIG_REGISTRY_NOT_FOUND", 1],
    ] as const) {
      const r = cli(...args);
      expect(r.status, args.join(" ")).toBe(status);
      expect(r.stderr).toMatch(new RegExp(`^error\\[${code}\\]: .+\\n  hint: .+\\n$`));
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe("cig-registry yank", () => {
  const dataDir = tempDir();
  it("yanks offline; the running server shows it at once", async () => {
    const key = generateSigningKey();
    const token = tokenOf(cli("namespace", "add", "acme", "--key", key.key.public_key, "--data", dataDir).stdout);
    const server = await spawnServer(dataDir, "--quiet");
    const body = buildRelease({ name: "acme/old", version: "1.2.3", privatePem: key.privatePem }).body;
    expect((await publish(server.url, "acme/old", "1.2.3", body, token)).status).toBe(201);
    const r = cli("yank", "acme/old@1.2.3", "--data", dataDir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("acme/old 1.2.3 is yanked\n");
    const list = (await (await fetch(`${server.url}/v1/plugins/acme/old/versions`)).json()) as { versions: { yanked: boolean }[] };
    expect(list.versions).toEqual([{ version: "1.2.3", protocols: [1], platforms: ["any"], requires: [], yanked: true }]);
    expect(cli("yank", "acme/old@1.2.3", "--data", dataDir).status).toBe(0);
  });
});
