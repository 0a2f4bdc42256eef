import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Header } from "tar";
import { afterAll, describe, expect, it } from "vitest";
import { parseModuleManifest } from "../../src/registry/module-manifest.js";
import { packArchive } from "../../src/registry/pack-archive.js";
import { parsePluginAddress } from "../../src/registry/plugin-address.js";
import { type ArchiveEntry, readArchive } from "../../src/registry/read-archive.js";
import {
  decodeRelease,
  encodeRelease,
  generateSigningKey,
  keyIdOf,
  publicKeyOf,
  type ReleaseDocument,
  signatureKeyId,
  signRelease,
  verifyRelease,
} from "../../src/registry/release-signing.js";
import { archiveHash, readTree, treeHash, treeHashOfDir } from "../../src/registry/tree-hash.js";

const tmp = mkdtempSync(join(tmpdir(), "cig-reg-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (path: string, text: string, mode = 0o644): ArchiveEntry => ({ path, type: "file", mode, data: Buffer.from(text) });

describe("plugin addresses", () => {
  it.each([
    ["lang/ruby@~1.2", { namespace: "lang", name: "ruby", id: "lang/ruby", constraint: "~1.2" }],
    ["acme/deploy", { id: "acme/deploy", constraint: "*" }],
    ["registry.example.com/acme/deploy@^2", { host: "registry.example.com", id: "acme/deploy", constraint: "^2" }],
    ["localhost:8443/a/b@>=1.1", { host: "localhost:8443", id: "a/b", constraint: ">=1.1" }],
  ])("parses %s", (text, want) => expect(parsePluginAddress(text)).toMatchObject(want));

  it.each([
    ["ruby", /namespace\/name/],
    ["Lang/ruby", /namespace "Lang"/],
    ["lang/ruby@banana", /"banana" is not a semver range/],
    ["lang/ruby@", /"" is not a semver range/],
    ["a/b/c/d", /namespace\/name/],
    ["bad host!/a/b", /not a host name/],
  ])("refuses %s with CIG_PLUGIN_ADDRESS_INVALID", (text, why) => {
    expect(() => parsePluginAddress(text)).toThrow(why);
    try {
      parsePluginAddress(text);
    } catch (err) {
      expect(err).toMatchObject({ code: "CIG_PLUGIN_ADDRESS_INVALID", hint: expect.stringContaining("lang/ruby@~1.2") });
    }
  });
});

describe("module.toml", () => {
  const good = `[module]
name = "acme/deploy"
version = "2.1.0"
entrypoint = "bin/run"
capabilities = ["step:deploy"]
requires = ["lang/ruby@~1.0"]

[inputs]
target = { type = "string", default = "staging" }
replicas = { type = "integer", optional = true }
ratio = { type = "number", default = 1 }
`;
  it("parses a manifest with typed inputs", () => {
    const m = parseModuleManifest(good, "module.toml", { requireEntrypoint: true });
    expect(m).toMatchObject({ name: "acme/deploy", version: "2.1.0", entrypoint: "bin/run", protocols: [1], requires: ["lang/ruby@~1.0"] });
    expect(m.inputs.target).toEqual({ type: "string", default: "staging", optional: false });
    expect(m.inputs.replicas?.optional).toBe(true);
  });

  it("lists every problem with file:line:col", () => {
    const bad = `[module]
name = "Acme"
version = "2.1"
requires = ["lang/ruby@nope"]

[inputs]
target = { type = "str" }
push = { type = "boolean", default = "yes" }
`;
    let err: unknown;
    try {
      parseModuleManifest(bad, "plugins/x/module.toml", { requireEntrypoint: true });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: "CIG_MODULE_MANIFEST_INVALID", details: { location: "plugins/x/module.toml:2:8" } });
    const msg = (err as Error).message;
    expect(msg).toContain('plugins/x/module.toml:2:8: module.name: "Acme" must be namespace/name');
    expect(msg).toContain('module.toml:3:11: module.version: "2.1" is not a semver version');
    expect(msg).toContain('missing "entrypoint"');
    expect(msg).toContain("module.toml:4:13: module.requires[0]:");
    expect(msg).toContain("module.toml:7:19: inputs.target.type: must be one of string");
    expect(msg).toContain("module.toml:8:38: inputs.push.default: is string, but the input is boolean");
  });

  it("reports a TOML syntax error with its position", () => {
    expect(() => parseModuleManifest("[module\nname=1", "m.toml")).toThrow(/m\.toml:1:\d+: invalid TOML/);
  });
});

describe("archives", () => {
  const entries = [
    file("module.toml", "[module]\n"),
    file("bin/run", "#!/bin/sh\n", 0o755),
    { path: "bin/alias", type: "symlink" as const, mode: 0o777, data: Buffer.from("run") },
  ];

  it("packs deterministically, whatever the input order, and reads back what it packed", async () => {
    const a = packArchive(entries);
    const b = packArchive([...entries].reverse());
    expect(archiveHash(a)).toBe(archiveHash(b));
    const back = await readArchive(a, "t");
    expect(back.map((e) => [e.path, e.type, e.mode.toString(8), e.data.toString()])).toEqual([
      ["bin/alias", "symlink", "777", "run"],
      ["bin/run", "file", "755", "#!/bin/sh\n"],
      ["module.toml", "file", "644", "[module]\n"],
    ]);
    expect(treeHash(back)).toBe(treeHash(entries));
    expect(treeHash(back)).toMatch(/^tree1:[0-9a-f]{64}$/);
  });

  it("keeps long and unicode paths (pax headers)", async () => {
    const long = `${"d".repeat(120)}/${"é".repeat(70)}/file-${"x".repeat(90)}.ts`;
    const back = await readArchive(packArchive([file(long, "1")]), "t");
    expect(back[0]?.path).toBe(long);
  });

  it("gives a directory and the archive packed from it the same tree1 hash", async () => {
    const dir = join(tmp, "tree");
    mkdirSync(join(dir, "bin"), { recursive: true });
    writeFileSync(join(dir, "module.toml"), "[module]\n");
    writeFileSync(join(dir, "bin/run"), "#!/bin/sh\n", { mode: 0o775 });
    symlinkSync("run", join(dir, "bin/alias"));
    const tree = await readTree(dir);
    expect(await treeHashOfDir(dir)).toBe(treeHash(entries));
    expect(treeHash(await readArchive(packArchive(tree), "t"))).toBe(treeHash(entries));
    writeFileSync(join(dir, "bin/run"), "#!/bin/sh\necho changed\n");
    expect(await treeHashOfDir(dir)).not.toBe(treeHash(entries));
  });

  it.each([
    ["an absolute path", [file("/etc/passwd", "x")], /"\/etc\/passwd": the path is absolute/],
    ["a .. segment", [file("bin/../../escape", "x")], /the path has a "\.\."/],
    ["a backslash", [file("bin\\run", "x")], /backslash/],
    [
      "a symlink escaping the root",
      [{ path: "bin/x", type: "symlink" as const, mode: 0o777, data: Buffer.from("../../etc/passwd") }],
      /symlink "bin\/x" points outside/,
    ],
    ["an absolute symlink", [{ path: "x", type: "symlink" as const, mode: 0o777, data: Buffer.from("/etc/passwd") }], /points outside/],
    ["a duplicate path", [file("a", "1"), file("a", "2")], /"a" appears twice/],
    [
      "a symlink named .",
      [{ path: ".", type: "symlink" as const, mode: 0o777, data: Buffer.from(".") }],
      /would replace the plugin's own directory/,
    ],
    ["a file named .", [file(".", "x")], /would replace the plugin's own directory/],
    [
      "a symlink escaping through another symlink",
      [
        { path: "y", type: "symlink" as const, mode: 0o777, data: Buffer.from(".") },
        { path: "x", type: "symlink" as const, mode: 0o777, data: Buffer.from("y/..") },
      ],
      /symlink "x" points outside the plugin \(y\/\.\.\)/,
    ],
    [
      "a chain of symlinks that climbs out",
      [
        { path: "a/up", type: "symlink" as const, mode: 0o777, data: Buffer.from("..") },
        { path: "b", type: "symlink" as const, mode: 0o777, data: Buffer.from("a/up/a/up/..") },
      ],
      /symlink "b" points outside/,
    ],
    [
      "a symlink loop",
      [
        { path: "l1", type: "symlink" as const, mode: 0o777, data: Buffer.from("l2/x") },
        { path: "l2", type: "symlink" as const, mode: 0o777, data: Buffer.from("l1/x") },
      ],
      /points outside/,
    ],
    ["a file under a file", [file("a", "1"), file("a/b", "2")], /"a\/b" is inside "a"/],
  ])("refuses %s", async (_what, bad, why) => {
    await expect(readArchive(packArchive(bad as ArchiveEntry[]), "acme/x 1.0.0")).rejects.toMatchObject({
      code: "CIG_ARCHIVE_UNSAFE",
      message: expect.stringMatching(why),
    });
  });

  it("keeps symlinks that stay inside, through other symlinks too", async () => {
    const ok = [
      { path: "lib", type: "symlink" as const, mode: 0o777, data: Buffer.from("dist") },
      { path: "dist/main.js", type: "file" as const, mode: 0o644, data: Buffer.from("x") },
      { path: "bin/run", type: "symlink" as const, mode: 0o777, data: Buffer.from("../lib/main.js") },
    ];
    expect((await readArchive(packArchive(ok), "t")).map((e) => e.path)).toEqual(["bin/run", "dist/main.js", "lib"]);
  });

  it.each([
    ["a hard link", "Link"],
    ["a character device", "CharacterDevice"],
    ["a fifo", "FIFO"],
  ])("refuses %s", async (_what, type) => {
    const h = new Header({
      path: "dev",
      type: type as "Link",
      linkpath: type === "Link" ? "module.toml" : "",
      size: 0,
      mode: 0o644,
      mtime: new Date(0),
    });
    const block = Buffer.alloc(512);
    h.encode(block, 0);
    const gz = gzipSync(Buffer.concat([block, Buffer.alloc(1024)]));
    await expect(readArchive(gz, "t")).rejects.toMatchObject({ code: "CIG_ARCHIVE_UNSAFE" });
  });

  it("refuses archives over the limits, a gzip bomb included", async () => {
    const big = packArchive([file("a", "x".repeat(4096))]);
    const limits = { compressedBytes: 1 << 20, uncompressedBytes: 2048, entries: 10 };
    await expect(readArchive(big, "t", limits)).rejects.toThrow(/unpacks to more than 2048 bytes/);
    await expect(readArchive(big, "t", { ...limits, compressedBytes: 10 })).rejects.toThrow(/over the 10-byte limit/);
    const many = packArchive(Array.from({ length: 12 }, (_, i) => file(`f${i}`, "")));
    await expect(readArchive(many, "t", { ...limits, uncompressedBytes: 1 << 20 })).rejects.toThrow(/more than 10 entries/);
    await expect(readArchive(Buffer.from("not gzip"), "t")).rejects.toThrow(/not gzip data/);
  });
});

describe("release signatures", () => {
  const doc: ReleaseDocument = {
    kind: "cig-release-v1",
    name: "acme/deploy",
    version: "2.1.0",
    protocols: [1],
    requires: [],
    platforms: { any: { archive: `sha256:${"0".repeat(64)}`, content: `tree1:${"1".repeat(64)}` } },
  };

  it("signs the canonical bytes and verifies with the right key only", () => {
    const a = generateSigningKey();
    const b = generateSigningKey();
    const text = encodeRelease(doc);
    expect(text).toBe(
      `{"kind":"cig-release-v1","name":"acme/deploy","platforms":{"any":{"archive":"sha256:${"0".repeat(64)}","content":"tree1:${"1".repeat(64)}"}},"protocols":[1],"requires":[],"version":"2.1.0"}`,
    );
    const sig = signRelease(text, a.privatePem);
    expect(sig).toMatch(/^ed25519:[0-9a-f]{16}:[A-Za-z0-9+/]+=*$/);
    expect(signatureKeyId(sig)).toBe(a.key.key_id);
    expect(verifyRelease(text, sig, [b.key, a.key])?.key_id).toBe(a.key.key_id);
    expect(verifyRelease(text, sig, [b.key])).toBeUndefined();
    expect(verifyRelease(text.replace("2.1.0", "2.1.1"), sig, [a.key])).toBeUndefined();
    expect(publicKeyOf(a.privatePem)).toEqual(a.key);
    expect(a.key.key_id).toMatch(/^ed25519:[0-9a-f]{16}$/);
    expect(keyIdOf(a.key.public_key)).toBe(a.key.key_id);
  });

  it("reads back only canonical documents", () => {
    expect(decodeRelease(encodeRelease(doc), "x")).toEqual(doc);
    expect(() => decodeRelease(JSON.stringify(doc, null, 1), "x")).toThrow(/canonical/);
    expect(() => decodeRelease('{"kind":"other"}', "x")).toThrow(/unknown kind/);
  });

  it("refuses keys that are not Ed25519", () => {
    expect(() => signRelease("x", "not a pem")).toThrow(expect.objectContaining({ code: "CIG_SIGNING_KEY_INVALID" }));
    expect(() => keyIdOf("ed25519:AAAA")).toThrow(/not an Ed25519 public key/);
  });
});
