import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { type ArchiveEntry, archiveHash, generateSigningKey, packArchive, signRelease } from "@cig/core/registry";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildRelease,
  file,
  manifest,
  pluginFiles,
  publish,
  publishBody,
  refusal,
  registerNamespace,
  startServer,
  symlink,
  tempDir,
} from "./helpers.js";

const dataDir = tempDir();
let url: string;
let acme: Awaited<ReturnType<typeof registerNamespace>>;
const NAME = "acme/checked";

beforeAll(async () => {
  acme = await registerNamespace(dataDir, "acme");
  ({ url } = await startServer({ dataDir }));
});

/** Publishes `body` as 1.0.0 and returns the refusal. */
async function refused(body: string, version = "1.0.0") {
  return refusal(await publish(url, NAME, version, body, acme.token));
}

const withEntries = (entries: ArchiveEntry[]) => buildRelease({ name: NAME, version: "1.0.0", privatePem: acme.privatePem, entries }).body;

describe("a publish is refused with 422 when", () => {
  it("an archive is not the one the signed document hashes (tampered in transit)", async () => {
    const r = buildRelease({ name: NAME, version: "1.0.0", privatePem: acme.privatePem });
    const other = packArchive([...pluginFiles(NAME, "1.0.0"), file("extra", "x")]);
    expect(await refused(publishBody(r.release, r.signature, { any: other }))).toMatchObject({
      status: 422,
      code: "CIG_HASH_MISMATCH",
      message: expect.stringContaining(`has ${archiveHash(other)}, but the release document says ${r.doc.platforms.any?.archive}`),
    });
  });

  it("the signed tree1 is not the archive's files", async () => {
    const body = buildRelease({
      name: NAME,
      version: "1.0.0",
      privatePem: acme.privatePem,
      doc: (d) => {
        (d.platforms.any as { content: string }).content = `tree1:${"0".repeat(64)}`;
      },
    }).body;
    expect(await refused(body)).toMatchObject({ status: 422, code: "CIG_HASH_MISMATCH", message: expect.stringContaining("files of") });
  });

  it("the release is signed by a key not registered for the namespace", async () => {
    const stranger = generateSigningKey();
    const body = buildRelease({ name: NAME, version: "1.0.0", privatePem: stranger.privatePem }).body;
    expect(await refused(body)).toMatchObject({
      status: 422,
      code: "CIG_SIGNER_UNKNOWN",
      message: expect.stringContaining(`signed by a key not registered for namespace acme (${stranger.key.key_id})`),
    });
  });

  it("the signature does not verify (the document was altered after signing)", async () => {
    const r = buildRelease({ name: NAME, version: "1.0.0", privatePem: acme.privatePem });
    const forged = buildRelease({
      name: NAME,
      version: "1.0.0",
      privatePem: acme.privatePem,
      doc: (d) => d.requires.push("lang/ruby@~1.0"),
    });
    expect(await refused(publishBody(forged.release, r.signature, r.archives))).toMatchObject({
      status: 422,
      code: "CIG_SIGNATURE_INVALID",
    });
    expect(await refused(publishBody(r.release, "ed25519:garbage", r.archives))).toMatchObject({
      status: 422,
      code: "CIG_SIGNATURE_INVALID",
    });
  });

  it.each([
    ["a .. path", [file("../x", "escape")], /entry "\.\.\/x"/],
    ["an absolute path", [file("/etc/cron.d/x", "escape")], /the path is absolute/],
    ["a symlink escaping the root", [symlink("bin/lib", "../../etc")], /symlink "bin\/lib" points outside/],
    ["an absolute symlink", [symlink("passwd", "/etc/passwd")], /points outside/],
  ])("the archive has %s", async (_what, bad, why) => {
    const refusal = await refused(withEntries([...pluginFiles(NAME, "1.0.0"), ...(bad as ArchiveEntry[])]));
    expect(refusal).toMatchObject({ status: 422, code: "CIG_ARCHIVE_UNSAFE" });
    expect(refusal.message).toMatch(why);
  });

  it("the archive is not a gzipped tar at all", async () => {
    const junk = Buffer.from("not an archive");
    const r = buildRelease({
      name: NAME,
      version: "1.0.0",
      privatePem: acme.privatePem,
      doc: (d) => {
        (d.platforms.any as { archive: string }).archive = archiveHash(junk);
      },
    });
    expect(await refused(publishBody(r.release, r.signature, { any: junk }))).toMatchObject({ status: 422, code: "CIG_ARCHIVE_UNSAFE" });
  });

  it.each([
    ["has no module.toml", [file("bin/plugin", "#!/bin/sh\n", 0o755)], /no module\.toml/],
    [
      "names another plugin",
      [file("module.toml", manifest("acme/other", "1.0.0")), file("bin/plugin", "x", 0o755)],
      /name is "acme\/other"/,
    ],
    ["names another version", [file("module.toml", manifest(NAME, "1.0.1")), file("bin/plugin", "x", 0o755)], /version is "1\.0\.1"/],
    ["is not valid", [file("module.toml", "[module]\nname = 3\n"), file("bin/plugin", "x", 0o755)], /not a valid module manifest/],
    ["names a missing entrypoint", [file("module.toml", manifest(NAME, "1.0.0"))], /entrypoint "bin\/plugin" is not in the archive/],
    [
      "names an entrypoint that is not executable",
      [file("module.toml", manifest(NAME, "1.0.0")), file("bin/plugin", "x")],
      /not executable/,
    ],
    [
      "requires what the document does not",
      [file("module.toml", manifest(NAME, "1.0.0", 'requires = ["lang/ruby@~1.0"]\n')), file("bin/plugin", "x", 0o755)],
      /requires \["lang\/ruby@~1\.0"\], but the release document says \[\]/,
    ],
  ])("module.toml %s", async (_what, entries, why) => {
    const refusal = await refused(withEntries(entries as ArchiveEntry[]));
    expect(refusal).toMatchObject({ status: 422, code: "CIG_MODULE_MANIFEST_INVALID" });
    expect(refusal.message).toMatch(why);
  });

  it("the release document is not canonical, or is for another name or version", async () => {
    const r = buildRelease({ name: NAME, version: "1.0.0", privatePem: acme.privatePem });
    const spaced = JSON.stringify(r.doc, null, 1);
    expect(await refused(publishBody(spaced, signRelease(spaced, acme.privatePem), r.archives))).toMatchObject({
      status: 422,
      code: "CIG_REGISTRY_RELEASE_INVALID",
      message: expect.stringContaining("canonical"),
    });
    expect(await refused(r.body, "1.0.1")).toMatchObject({
      status: 422,
      message: expect.stringContaining("for version 1.0.0, but the URL is for 1.0.1"),
    });
    expect(await refusal(await publish(url, "acme/other", "1.0.0", r.body, acme.token))).toMatchObject({
      status: 422,
      message: expect.stringContaining("is for acme/checked, but the URL is for acme/other"),
    });
  });

  it("the platforms signed are not the archives sent", async () => {
    const r = buildRelease({ name: NAME, version: "1.0.0", privatePem: acme.privatePem, platforms: ["linux_amd64", "darwin_arm64"] });
    const { darwin_arm64: _dropped, ...one } = r.archives;
    expect(await refused(publishBody(r.release, r.signature, one))).toMatchObject({
      status: 422,
      message: expect.stringContaining("lists platforms [darwin_arm64, linux_amd64], but the archives sent are [linux_amd64]"),
    });
    const weird = publishBody(r.release, r.signature, { ...r.archives, "Not-A-Platform": r.archives.linux_amd64 as Buffer });
    expect(await refused(weird)).toMatchObject({ status: 422, message: expect.stringContaining('"Not-A-Platform" is not a platform') });
  });
});

describe("a publish is refused with 400 when the body is not the protocol", () => {
  it.each([
    ["not JSON", "{"],
    ["an array", "[]"],
    ["without release", JSON.stringify({ signature: "x", archives: { any: "" } })],
    ["without archives", JSON.stringify({ release: "x", signature: "x", archives: {} })],
    ["with an archive that is not base64", JSON.stringify({ release: "x", signature: "x", archives: { any: "no*base64!" } })],
  ])("%s", async (_what, body) => {
    expect(await refused(body)).toMatchObject({ status: 400, code: "CIG_REGISTRY_BAD_REQUEST" });
  });
});

describe("after every refusal", () => {
  it("nothing was published and nothing is left in tmp/", async () => {
    expect((await fetch(`${url}/v1/plugins/acme/checked/versions`)).status).toBe(404);
    expect(await readdir(join(dataDir, "tmp"))).toEqual([]);
    const ok = await publish(
      url,
      NAME,
      "1.0.0",
      buildRelease({ name: NAME, version: "1.0.0", privatePem: acme.privatePem }).body,
      acme.token,
    );
    expect(ok.status).toBe(201);
  });
});
