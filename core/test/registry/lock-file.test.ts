import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addPluginEntry } from "../../src/registry/add-plugin-entry.js";
import { formatLockFile, knownHash, parseLockFile } from "../../src/registry/lock-file.js";
import { parsePluginAddress } from "../../src/registry/plugin-address.js";
import { pluginDir } from "../../src/registry/plugin-cache.js";
import { REPO_ROOT } from "../process-helpers.js";

const example = (name: string) => readFileSync(join(REPO_ROOT, "lockfile-examples", name), "utf8");

describe("cig.lock", () => {
  it("reads valid-basic.lock and writes the same bytes back", () => {
    const text = example("valid-basic.lock");
    const lock = parseLockFile(text, "cig.lock");
    expect(lock.core).toEqual({ version: "0.1.0", protocol: 1 });
    expect(lock.plugins["provider/github"]).toEqual({ source: "builtin", version: "0.1.0" });
    const deploy = lock.plugins["acme/deploy"];
    expect(deploy).toMatchObject({
      source: "registry",
      host: "registry.cig.dev",
      version: "2.1.0",
      constraints: ["^2.0", "^2.1"],
      signer: "ed25519:6f1b0c2a9d3e4f51",
    });
    expect(Object.keys(deploy?.source === "registry" ? deploy.platforms : {})).toEqual(["darwin_arm64", "linux_amd64"]);
    expect(lock.resolvedVersions).toEqual({ node: "20.11.0", ruby: "3.3.0" });
    expect(formatLockFile(lock)).toBe(text);
  });

  it("keeps hashes of unknown schemes and finds the known ones (valid-unknown-scheme.lock)", () => {
    const text = example("valid-unknown-scheme.lock");
    const p = parseLockFile(text, "cig.lock").plugins["example/python-policy"];
    if (p?.source !== "registry") throw new Error("expected a registry plugin");
    const any = p.platforms.any as { archive: string[]; content: string[] };
    expect(any.archive[0]).toBe("sha512:00ff");
    expect(knownHash(any.archive, "sha256")).toMatch(/^sha256:2f1e/);
    expect(knownHash(any.content, "tree1")).toMatch(/^tree1:5a4b/);
    expect(formatLockFile(parseLockFile(text, "cig.lock"))).toBe(text);
  });

  it.each([
    ["invalid-schema-version.lock", /schema_version "2" is not "1"/, "cig.lock:1:1"],
    ["invalid-syntax.lock", /not a valid lock file/, "cig.lock:8:1"],
    ["invalid-no-hashes.lock", /plugin acme\/deploy: no platforms/, "cig.lock:8:1"],
    ["invalid-bad-source.lock", /source "registry.cig.dev\/acme\/other" is not "builtin" or "<host>\/acme\/deploy"/, "cig.lock:8:1"],
  ])("refuses %s with CIG_LOCK_INVALID, the line and the fix", (file, why, location) => {
    let err: unknown;
    try {
      parseLockFile(example(file), "cig.lock");
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: "CIG_LOCK_INVALID", details: { location }, hint: expect.stringContaining("cig sync") });
    expect((err as Error).message).toMatch(why);
  });
});

describe("cig.lock fields that end up in paths", () => {
  const good = example("valid-unknown-scheme.lock");
  it.each([
    ["a content hash with a path in it", good.replace(/tree1:5a4b[0-9a-f]+/, "tree1:/../../../../.ssh"), /is not a hash/],
    ["a source host with ..", good.replace("registry.cig.dev/example", "evil/../../../x/example"), /is not "builtin" or/],
    ["a platform with a slash", good.replace('platforms."any"', 'platforms."../any"'), /platform "..\/any"/],
    [
      "a version with a slash",
      good.replace('version = "0.1.0"\nsource', 'version = "0.1.0/../../x"\nsource'),
      /not an exact semver version/,
    ],
    ["a malformed signer", good.replace('signer = "ed25519:0011223344556677"', 'signer = "me"'), /is not a key id/],
  ])("refuses %s", (_what, text, why) => {
    expect(() => parseLockFile(text, "cig.lock")).toThrow(why);
  });

  it("never builds a cache path outside the cache", () => {
    const tree = `tree1:${"a".repeat(64)}`;
    expect(pluginDir("/c", "registry.cig.dev", "a/b", "1.0.0", "any", tree)).toBe(
      `/c/plugins/registry.cig.dev/a/b/1.0.0/any-${"a".repeat(32)}`,
    );
    expect(() => pluginDir("/c", "..", "a/b", "1.0.0", "any", tree)).toThrow(/refusing a cache path/);
    expect(() => pluginDir("/c", "h", "a/../..", "1.0.0", "any", tree)).toThrow(/refusing a cache path/);
    expect(() => pluginDir("/c", "h", "a/b", "1.0.0", "any", "tree1:/../../.ssh")).toThrow(/refusing a cache path/);
  });
});

describe("cig plugin add: editing cig.toml", () => {
  const add = (text: string, spec: string) => addPluginEntry(text, parsePluginAddress(spec), "cig.toml");
  const base = `version = "0.2"   # the schema

# Plugins we use.
[plugins]
"acme/deploy" = "^2.0"   # deploys
'z/z' = { version = "1.0", source = "registry.example.com" }

[jobs.test]
steps = [{ run = "make" }]
`;

  it("adds an entry after the table's last one, every other byte unchanged", () => {
    expect(add(base, "lang/ruby@~1.2")).toBe(
      base.replace(`source = "registry.example.com" }\n`, `source = "registry.example.com" }\n"lang/ruby" = "~1.2"\n`),
    );
  });

  it("replaces the version of an existing entry in place, keeping its comment", () => {
    expect(add(base, "acme/deploy@^3")).toBe(base.replace('"acme/deploy" = "^2.0"   # deploys', '"acme/deploy" = "^3"   # deploys'));
    expect(add(base, "z/z@2.0.0")).toBe(base.replace('{ version = "1.0", source', '{ version = "2.0.0", source'));
  });

  it("writes a host as the entry's source", () => {
    expect(add(base, "registry.example.com/acme/new@^1")).toContain('"acme/new" = { version = "^1", source = "registry.example.com" }\n');
  });

  it("appends a [plugins] table to a file without one, and keeps CRLF line ends", () => {
    expect(add('version = "0.2"\n', "a/b@1.x")).toBe('version = "0.2"\n\n[plugins]\n"a/b" = "1.x"\n');
    expect(add('version = "0.2"\r\n', "a/b@1.x")).toBe('version = "0.2"\r\n\r\n[plugins]\r\n"a/b" = "1.x"\r\n');
    expect(add('version = "0.2"\n\n[plugins]\n', "a/b@*")).toBe('version = "0.2"\n\n[plugins]\n"a/b" = "*"\n');
  });

  it("replaces the whole value when the address names a host, dropping no source", () => {
    expect(add(base, "mirror.example.com/acme/deploy@^2.1")).toContain(
      '"acme/deploy" = { version = "^2.1", source = "mirror.example.com" }   # deploys',
    );
  });

  it('adds to the [plugins] section, not into a [plugins."x"] sub-section after it', () => {
    const text = '[plugins]\n"a/a" = "1"\n\n[plugins."b/b"]\nversion = "2"\n';
    expect(add(text, "c/c@3")).toBe('[plugins]\n"a/a" = "1"\n"c/c" = "3"\n\n[plugins."b/b"]\nversion = "2"\n');
    expect(add(text, "b/b@^2")).toBe(text.replace('version = "2"', 'version = "^2"'));
    expect(() => add(text, "host.example/b/b@^2")).toThrow(/is a \[plugins\."b\/b"\] section/);
    expect(add("[plugins]\n\n[jobs.x]\n", "c/c@3")).toBe('[plugins]\n"c/c" = "3"\n\n[jobs.x]\n');
  });

  it("asks for a hand edit of dotted-key entries", () => {
    expect(() => add('[plugins]\n"a/a".version = "1"\n', "a/a@2")).toThrow(/dotted keys/);
  });

  it("refuses inline [plugins] tables, naming the line to add by hand", () => {
    expect(() => add('version = "0.2"\nplugins = { "a/b" = "1" }\n', "c/d@^1")).toThrow(/inline table/);
  });
});
