import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { get } from "node:http";
import { join } from "node:path";
import { archiveHash, decodeRelease, readArchive, type SigningKey, verifyRelease } from "@cig/core/registry";
import { beforeAll, describe, expect, it } from "vitest";
import { buildRelease, publish, rawGet, refusal, registerNamespace, startServer, tempDir } from "./helpers.js";

const dataDir = tempDir();
let url: string;
let acme: Awaited<ReturnType<typeof registerNamespace>>;
const v100 = () =>
  buildRelease({ name: "acme/deploy", version: "1.0.0", privatePem: acme.privatePem, platforms: ["linux_amd64", "darwin_arm64"] });
const v200 = () => buildRelease({ name: "acme/deploy", version: "2.0.0", privatePem: acme.privatePem });
const built: Record<string, ReturnType<typeof v100>> = {};

beforeAll(async () => {
  acme = await registerNamespace(dataDir, "acme");
  ({ url } = await startServer({ dataDir }));
  // Published out of order: the list must still come back in semver order.
  built["2.0.0"] = v200();
  built["1.0.0"] = v100();
  for (const version of ["2.0.0", "1.0.0"]) {
    const res = await publish(url, "acme/deploy", version, built[version]?.body as string, acme.token);
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/v1/plugins/acme/deploy/${version}`);
    expect(await res.json()).toMatchObject({ name: "acme/deploy", version, signer: acme.key.key_id });
  }
});

describe("a published plugin", () => {
  it("is announced by discovery", async () => {
    const res = await fetch(`${url}/.well-known/cig.json`);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ "plugins.v1": "/v1/plugins/" });
  });

  it("lists its versions in semver order with protocols, sorted platforms, requires and yanked", async () => {
    const res = await fetch(`${url}/v1/plugins/acme/deploy/versions`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      versions: [
        { version: "1.0.0", protocols: [1], platforms: ["darwin_arm64", "linux_amd64"], requires: [], yanked: false },
        { version: "2.0.0", protocols: [1], platforms: ["any"], requires: [], yanked: false },
      ],
    });
  });

  it("serves a version document whose release verifies client-side with the namespace's keys", async () => {
    const res = await fetch(`${url}/v1/plugins/acme/deploy/1.0.0`);
    expect(res.status).toBe(200);
    const vd = (await res.json()) as {
      release: string;
      signature: string;
      signing_keys: SigningKey[];
      yanked: boolean;
      downloads: Record<string, string>;
    };
    expect(vd.release).toBe(built["1.0.0"]?.release);
    expect(vd.signing_keys).toEqual([acme.key]);
    expect(vd.yanked).toBe(false);
    expect(verifyRelease(vd.release, vd.signature, vd.signing_keys)).toEqual(acme.key);
    expect(decodeRelease(vd.release, "test").version).toBe("1.0.0");
    // Paths on this server: a forged Host header cannot send a client elsewhere.
    expect(vd.downloads).toEqual({
      darwin_arm64: "/v1/plugins/acme/deploy/1.0.0/archive/darwin_arm64.tar.gz",
      linux_amd64: "/v1/plugins/acme/deploy/1.0.0/archive/linux_amd64.tar.gz",
    });
    // node:http, since fetch will not send a Host header of the caller's choosing.
    const forged = await new Promise<string>((resolve, reject) => {
      const u = new URL(`${url}/v1/plugins/acme/deploy/1.0.0`);
      get({ host: u.hostname, port: u.port, path: u.pathname, headers: { host: "attacker.example" } }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (d: string) => {
          body += d;
        });
        res.on("end", () => resolve(body));
      }).on("error", reject);
    });
    expect((JSON.parse(forged) as typeof vd).downloads).toEqual(vd.downloads);
  });

  it("serves archives whose sha256 is the signed one", async () => {
    const vd = (await (await fetch(`${url}/v1/plugins/acme/deploy/1.0.0`)).json()) as {
      release: string;
      downloads: Record<string, string>;
    };
    const doc = decodeRelease(vd.release, "test");
    for (const [platform, href] of Object.entries(vd.downloads)) {
      const res = await fetch(new URL(href, url));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/gzip");
      const gz = Buffer.from(await res.arrayBuffer());
      expect(archiveHash(gz)).toBe(doc.platforms[platform]?.archive);
      expect(`sha256:${createHash("sha256").update(gz).digest("hex")}`).toBe(archiveHash(built["1.0.0"]?.archives[platform] as Buffer));
      expect((await readArchive(gz, "t")).map((e) => e.path)).toEqual(["README.md", "bin/plugin", "module.toml"]);
    }
  });

  it("answers HEAD on an archive with its length and no body", async () => {
    const res = await fetch(`${url}/v1/plugins/acme/deploy/2.0.0/archive/any.tar.gz`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get("content-length"))).toBe(built["2.0.0"]?.archives.any?.length);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it("answers 500 without server paths when its data is damaged, and logs why", async () => {
    const damaged = tempDir();
    const lines: string[] = [];
    const { server, url: other } = await startServer({ dataDir: damaged, log: (l) => lines.push(l) });
    await mkdir(join(damaged, "plugins/broken/x/1.0.0"), { recursive: true });
    await writeFile(join(damaged, "plugins/broken/x/1.0.0/release.json"), built["2.0.0"]?.release as string);
    await writeFile(join(damaged, "plugins/broken/x/1.0.0/signature"), "x");
    await writeFile(join(damaged, "namespaces/broken.json"), "{ not json");
    const res = await fetch(`${other}/v1/plugins/broken/x/1.0.0`);
    const error = await refusal(res);
    expect(error).toMatchObject({ status: 500, code: "CIG_REGISTRY_DATA_INVALID" });
    expect(error.message).not.toContain(damaged);
    expect(lines.join("\n")).toContain(join(damaged, "namespaces/broken.json"));
    await server.close(0);
  });

  it("builds download links from --base-url when it is set", async () => {
    const { url: other } = await startServer({ dataDir, baseUrl: "https://registry.example.com/" });
    const vd = (await (await fetch(`${other}/v1/plugins/acme/deploy/2.0.0`)).json()) as { downloads: Record<string, string> };
    expect(vd.downloads).toEqual({ any: "https://registry.example.com/v1/plugins/acme/deploy/2.0.0/archive/any.tar.gz" });
  });

  it("answers 404 for unknown plugins, versions and platforms", async () => {
    for (const path of [
      "/v1/plugins/acme/nope/versions",
      "/v1/plugins/acme/deploy/3.0.0",
      "/v1/plugins/acme/deploy/1.0.0/archive/any.tar.gz",
      "/v1/plugins/acme/deploy/3.0.0/archive/any.tar.gz",
      "/v2/anything",
    ]) {
      expect(await refusal(await fetch(`${url}${path}`)), path).toMatchObject({ status: 404, code: "CIG_REGISTRY_NOT_FOUND" });
    }
  });

  it("answers 400 for path segments that are not names, versions or platforms, before touching the filesystem", async () => {
    for (const path of [
      "/v1/plugins/Acme/deploy/versions",
      "/v1/plugins/acme/deploy/v1.0.0",
      "/v1/plugins/acme/deploy/1.0",
      "/v1/plugins/acme/deploy/1.0.0+build",
      "/v1/plugins/acme/%2e%2e/1.0.0",
      "/v1/plugins/acme/../../1.0.0",
      "/v1/plugins/../etc/1.0.0",
      "/v1/plugins/acme/..%2F..%2Fetc/versions",
      "/v1/plugins/acme/deploy%40x/versions",
      "/v1/plugins/acme/deploy/1.0.0/archive/..%2Frelease.json.tar.gz",
      "/v1/plugins/acme/deploy/1.0.0/archive/Linux_amd64.tar.gz",
    ]) {
      // Not fetch(): it would resolve the dot segments before sending.
      expect(await rawGet(url, path), path).toMatchObject({ status: 400, code: "CIG_REGISTRY_BAD_REQUEST" });
    }
  });

  it("answers 405 with Allow for a method the endpoint does not have", async () => {
    const res = await fetch(`${url}/v1/plugins/acme/deploy/versions`, { method: "DELETE" });
    expect(res.headers.get("allow")).toBe("GET");
    expect(await refusal(res)).toMatchObject({ status: 405, code: "CIG_REGISTRY_METHOD_NOT_ALLOWED" });
    const put = await fetch(`${url}/v1/plugins/acme/deploy/1.0.0/yank`, { method: "GET" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("POST");
  });
});

describe("yank", () => {
  it("marks the version yanked, idempotently, and leaves it downloadable", async () => {
    const before = (await (await fetch(`${url}/v1/plugins/acme/deploy/1.0.0`)).json()) as { downloads: Record<string, string> };
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${url}/v1/plugins/acme/deploy/1.0.0/yank`, {
        method: "POST",
        headers: { authorization: `Bearer ${acme.token}` },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ name: "acme/deploy", version: "1.0.0", yanked: true });
    }
    const list = (await (await fetch(`${url}/v1/plugins/acme/deploy/versions`)).json()) as {
      versions: { version: string; yanked: boolean }[];
    };
    expect(list.versions.map((v) => [v.version, v.yanked])).toEqual([
      ["1.0.0", true],
      ["2.0.0", false],
    ]);
    const vd = (await (await fetch(`${url}/v1/plugins/acme/deploy/1.0.0`)).json()) as {
      yanked: boolean;
      release: string;
      downloads: object;
    };
    expect(vd).toMatchObject({ yanked: true, release: built["1.0.0"]?.release, downloads: before.downloads });
    const gz = Buffer.from(await (await fetch(new URL(before.downloads.linux_amd64 as string, url))).arrayBuffer());
    expect(archiveHash(gz)).toBe(decodeRelease(vd.release, "t").platforms.linux_amd64?.archive);
  });

  it("needs the namespace's token and an existing version", async () => {
    const anon = await fetch(`${url}/v1/plugins/acme/deploy/2.0.0/yank`, { method: "POST" });
    expect(await refusal(anon)).toMatchObject({ status: 401, code: "CIG_REGISTRY_UNAUTHORIZED" });
    const missing = await fetch(`${url}/v1/plugins/acme/deploy/9.9.9/yank`, {
      method: "POST",
      headers: { authorization: `Bearer ${acme.token}` },
    });
    expect(await refusal(missing)).toMatchObject({ status: 404 });
    const list = (await (await fetch(`${url}/v1/plugins/acme/deploy/versions`)).json()) as { versions: { yanked: boolean }[] };
    expect(list.versions[1]?.yanked).toBe(false);
  });
});
