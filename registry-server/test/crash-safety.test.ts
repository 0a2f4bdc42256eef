import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildRelease,
  file,
  pluginFiles,
  publish,
  rawPut,
  registerNamespace,
  spawnServer,
  startServer,
  tempDir,
  whenInDir,
} from "./helpers.js";

/** The pid of a process that has exited: what a crashed server's tmp/ entries are named by. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid;

describe("a crash between writing a version and renaming it into place", () => {
  const dataDir = tempDir();
  let acme: Awaited<ReturnType<typeof registerNamespace>>;
  beforeAll(async () => {
    acme = await registerNamespace(dataDir, "acme");
  });

  it("leaves nothing visible, and the next start sweeps tmp/", async () => {
    const { url: first, server } = await startServer({ dataDir });
    const v100 = buildRelease({ name: "acme/crashy", version: "1.0.0", privatePem: acme.privatePem });
    expect((await publish(first, "acme/crashy", "1.0.0", v100.body, acme.token)).status).toBe(201);
    await server.close(0);
    // What a server killed just before rename() leaves: 1.0.1 complete and flushed, but in tmp/.
    const v101 = buildRelease({ name: "acme/crashy", version: "1.0.1", privatePem: acme.privatePem });
    for (const leftover of [`${deadPid()}-0a1b2c3d`, `${process.pid}-previous-life`, "not-ours"]) {
      const dir = join(dataDir, "tmp", leftover, "version");
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, "release.json"), v101.release);
      await writeFile(join(dir, "signature"), v101.signature);
      await writeFile(join(dir, "any.tar.gz"), v101.archives.any as Buffer);
      await writeFile(join(dir, "..", "upload.json"), v101.body);
    }
    const { url } = await startServer({ dataDir });
    expect(await readdir(join(dataDir, "tmp"))).toEqual([]);
    const list = (await (await fetch(`${url}/v1/plugins/acme/crashy/versions`)).json()) as { versions: { version: string }[] };
    expect(list.versions.map((v) => v.version)).toEqual(["1.0.0"]);
    expect((await fetch(`${url}/v1/plugins/acme/crashy/1.0.1`)).status).toBe(404);
    // And the version the crash lost can be published.
    expect((await publish(url, "acme/crashy", "1.0.1", v101.body, acme.token)).status).toBe(201);
  });

  it("keeps tmp/ entries of a process that is still running (an admin command beside the server)", async () => {
    const live = join(dataDir, "tmp", `${process.ppid}-admin-yank`);
    await mkdir(live);
    await startServer({ dataDir });
    expect(existsSync(live)).toBe(true);
  });
});

describe("kill -9 of the real server in the middle of a publish", () => {
  const dataDir = tempDir();
  it("leaves no version, a clean tmp/ after restart, and the publish succeeds when retried", async () => {
    const acme = await registerNamespace(dataDir, "acme");
    // Incompressible, so that the body is several MiB and cannot arrive in one read.
    const entries = [...pluginFiles("acme/big", "1.0.0"), file("data.bin", randomBytes(6 * 1024 * 1024))];
    const r = buildRelease({ name: "acme/big", version: "1.0.0", privatePem: acme.privatePem, entries });
    const body = Buffer.from(r.body);
    const tmp = join(dataDir, "tmp");

    const server = await spawnServer(dataDir, "--quiet");
    const spooled = () =>
      readdirSync(tmp).some((d) => {
        const upload = join(tmp, d, "upload.json");
        return existsSync(upload) && statSync(upload).size > 0;
      });
    const spooling = whenInDir(tmp, () => readdirSync(tmp).length > 0).then(() =>
      whenInDir(join(tmp, readdirSync(tmp)[0] as string), spooled),
    );
    const upload = rawPut(
      server.url,
      "/v1/plugins/acme/big/1.0.0",
      { authorization: `Bearer ${acme.token}`, "content-type": "application/json", "content-length": body.length },
      // Half the body, then nothing: the server is mid-request, with part of it on disk.
      (req) => req.write(body.subarray(0, body.length / 2)),
    ).catch((err: Error) => err);
    await spooling;
    server.proc.kill("SIGKILL");
    expect(await server.exited).toMatchObject({ signal: "SIGKILL" });
    expect(await upload).toBeInstanceOf(Error);
    expect(readdirSync(tmp)).toHaveLength(1);

    const again = await spawnServer(dataDir, "--quiet");
    expect(readdirSync(tmp)).toEqual([]);
    expect((await fetch(`${again.url}/v1/plugins/acme/big/1.0.0`)).status).toBe(404);
    expect((await fetch(`${again.url}/v1/plugins/acme/big/versions`)).status).toBe(404);
    const retry = await publish(again.url, "acme/big", "1.0.0", r.body, acme.token);
    expect(retry.status).toBe(201);
    const vd = (await (await fetch(`${again.url}/v1/plugins/acme/big/1.0.0`)).json()) as { release: string };
    expect(vd.release).toBe(r.release);
    again.proc.kill("SIGTERM");
    expect(await again.exited).toEqual({ code: 0, signal: null });
  });
});
