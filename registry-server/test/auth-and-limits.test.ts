import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DataDir } from "../src/data-dir.js";
import { DEFAULT_MAX_BODY_BYTES } from "../src/registry-server.js";
import { VersionStore } from "../src/version-store.js";
import { buildRelease, publish, rawPut, refusal, registerNamespace, startServer, tempDir } from "./helpers.js";

const dataDir = tempDir();
let url: string;
let acme: Awaited<ReturnType<typeof registerNamespace>>;
let other: Awaited<ReturnType<typeof registerNamespace>>;
const release = (version: string) => buildRelease({ name: "acme/tool", version, privatePem: acme.privatePem });

beforeAll(async () => {
  acme = await registerNamespace(dataDir, "acme");
  other = await registerNamespace(dataDir, "other");
  ({ url } = await startServer({ dataDir }));
});

describe("tokens", () => {
  it("refuses a publish without a token, or with an unknown one, with 401", async () => {
    const body = release("1.0.0").body;
    const none = await publish(url, "acme/tool", "1.0.0", body);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await refusal(none)).toMatchObject({ status: 401, code: "CIG_REGISTRY_UNAUTHORIZED" });
    expect(await refusal(await publish(url, "acme/tool", "1.0.0", body, "cigr_not-a-real-token"))).toMatchObject({ status: 401 });
    const basic = await fetch(`${url}/v1/plugins/acme/tool/1.0.0`, {
      method: "PUT",
      headers: { authorization: `Basic ${acme.token}` },
      body,
    });
    expect(basic.status).toBe(401);
    expect((await fetch(`${url}/v1/plugins/acme/tool/versions`)).status).toBe(404);
  });

  it("refuses another namespace's token with 403", async () => {
    const res = await publish(url, "acme/tool", "1.0.0", release("1.0.0").body, other.token);
    expect(await refusal(res)).toMatchObject({ status: 403, code: "CIG_REGISTRY_FORBIDDEN" });
    const yank = await fetch(`${url}/v1/plugins/acme/tool/1.0.0/yank`, {
      method: "POST",
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(yank.status).toBe(403);
  });

  it("stores only token hashes", async () => {
    const text = await readFile(join(dataDir, "namespaces/acme.json"), "utf8");
    expect(text).not.toContain(acme.token);
    expect(JSON.parse(text)).toMatchObject({ keys: [acme.key], tokens: [expect.stringMatching(/^sha256:[0-9a-f]{64}$/)] });
  });
});

describe("immutable versions", () => {
  it("answers 409 to a second publish of a version, and keeps the first", async () => {
    const first = release("1.0.0");
    expect((await publish(url, "acme/tool", "1.0.0", first.body, acme.token)).status).toBe(201);
    const second = buildRelease({ name: "acme/tool", version: "1.0.0", privatePem: acme.privatePem, platforms: ["linux_amd64"] });
    expect(await refusal(await publish(url, "acme/tool", "1.0.0", second.body, acme.token))).toMatchObject({
      status: 409,
      code: "CIG_REGISTRY_VERSION_EXISTS",
    });
    const vd = (await (await fetch(`${url}/v1/plugins/acme/tool/1.0.0`)).json()) as { release: string };
    expect(vd.release).toBe(first.release);
  });

  it("lets exactly one of two concurrent publishes of a version win", async () => {
    for (const version of ["2.0.0", "2.0.1", "2.0.2", "2.0.3", "2.0.4"]) {
      const bodies = [
        release(version),
        buildRelease({ name: "acme/tool", version, privatePem: acme.privatePem, platforms: ["linux_arm64"] }),
      ];
      const answers = await Promise.all(bodies.map((b) => publish(url, "acme/tool", version, b.body, acme.token)));
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
      const winner = bodies[answers.findIndex((r) => r.status === 201)];
      const vd = (await (await fetch(`${url}/v1/plugins/acme/tool/${version}`)).json()) as { release: string };
      expect(vd.release).toBe(winner?.release);
    }
    expect(await readdir(join(dataDir, "tmp"))).toEqual([]);
  });

  it("refuses the rename onto an existing version even when the early check was passed (the race itself)", async () => {
    const data = new DataDir(dataDir);
    const store = new VersionStore(data);
    const r = release("3.0.0");
    const req = { release: r.release, signature: r.signature, archives: new Map(Object.entries(r.archives)) };
    const id = { ns: "acme", name: "tool", version: "3.0.0" };
    await store.commit(id, req, data.tmpPath());
    const loser = data.tmpPath();
    await expect(store.commit(id, req, loser)).rejects.toMatchObject({ status: 409, code: "CIG_REGISTRY_VERSION_EXISTS" });
    // The loser's directory is the caller's to remove (publish() does, in its finally).
    expect(await readdir(loser)).toHaveLength(3);
    await rm(loser, { recursive: true });
  });
});

describe("size limits", () => {
  it("answers 413 to a declared Content-Length over the limit before reading the body", async () => {
    const answer = await rawPut(
      url,
      "/v1/plugins/acme/tool/4.0.0",
      { authorization: `Bearer ${acme.token}`, "content-type": "application/json", "content-length": DEFAULT_MAX_BODY_BYTES + 1 },
      (req) => req.write("{"),
    );
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "CIG_REGISTRY_TOO_LARGE" } });
  });

  it("answers 413 as soon as a chunked body passes the limit, while the client is still sending", async () => {
    const small = await startServer({ dataDir, maxBodyBytes: 256 * 1024 });
    let sent = 0;
    const answer = await rawPut(small.url, "/v1/plugins/acme/tool/4.0.0", { authorization: `Bearer ${acme.token}` }, (req) => {
      // Never ends: only the server's answer can end this test.
      const more = () => {
        while (sent < 64 * 1024 * 1024 && req.write(Buffer.alloc(16 * 1024, 0x20))) sent += 16 * 1024;
        req.once("drain", more);
      };
      more();
    });
    expect(answer.status).toBe(413);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    expect((await fetch(`${url}/v1/plugins/acme/tool/4.0.0`)).status).toBe(404);
  });

  it("answers 413 to one archive over the archive limit", async () => {
    const small = await startServer({ dataDir, maxArchiveBytes: 100 });
    const res = await publish(small.url, "acme/tool", "4.0.0", release("4.0.0").body, acme.token);
    expect(await refusal(res)).toMatchObject({ status: 413, message: expect.stringContaining('platform "any"') });
  });

  it("leaves nothing in tmp/ after refusals", async () => {
    expect(await readdir(join(dataDir, "tmp"))).toEqual([]);
  });
});
