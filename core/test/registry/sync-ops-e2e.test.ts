import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../process-helpers.js";
import {
  CIG,
  cig,
  cigAsync,
  project,
  publish,
  pythonPolicyAt,
  type Registry,
  registryCli,
  renamedPolicy,
  startRegistry,
} from "./registry-harness.js";

// Publishing rules, platforms, concurrency, offline use, key rotation and module composition,
// against a real `cig-registry serve`.
let reg: Registry;
beforeAll(async () => {
  reg = await startRegistry(["example", "other", "lang"]);
  expect(publish(reg, "example", pythonPolicyAt(reg.root, "0.1.0")).status).toBe(0);
}, 120_000);
afterAll(() => reg?.stop());

const lockOf = (dir: string) => readFileSync(join(dir, "cig.lock"), "utf8");
const withToken = (token: string) => ({ ...reg.env, CIG_REGISTRY_TOKEN: token, CIG_SIGNING_KEY: reg.keys.example });

describe("cig publish", () => {
  it("is refused without a valid token (401), with another namespace's (403), and for an existing version (409)", () => {
    const dir = pythonPolicyAt(reg.root, "0.1.0");
    const bad = cig(withToken("cigr_not-a-token"), reg.root, "publish", "--plugin", dir);
    expect(bad.status).toBe(10);
    expect(bad.stderr).toContain("CIG_REGISTRY_REJECTED");
    expect(bad.stderr).toContain("401");
    expect(bad.stderr).toContain("CIG_REGISTRY_TOKEN");
    const other = cig(withToken(reg.tokens.other as string), reg.root, "publish", "--plugin", dir);
    expect(other.stderr).toContain("403");
    expect(other.stderr).toContain("another namespace");
    const again = cig(withToken(reg.tokens.example as string), reg.root, "publish", "--plugin", dir);
    expect(again.stderr).toContain("409");
    expect(again.stderr).toContain("raise the version in module.toml");
  });

  it("publishes one release with a build per platform; the lock records every platform, this machine installs its own", () => {
    const linux = renamedPolicy(reg.root, "example/multi", "0.5.0");
    const mac = renamedPolicy(join(reg.root, "mac"), "example/multi", "0.5.0");
    writeFileSync(join(mac, "darwin-only.txt"), "built on a mac\n");
    const r = cig(
      withToken(reg.tokens.example as string),
      reg.root,
      "publish",
      "--plugin",
      linux,
      "--build",
      `linux_amd64=${linux}`,
      "--build",
      `darwin_arm64=${mac}`,
    );
    expect(r.status, r.out).toBe(0);
    const dir = project(reg.root, "multi", `"example/multi" = "0.5.0"`);
    const sync = cig(reg.env, dir, "sync");
    expect(sync.status, sync.out).toBe(0);
    expect(sync.stdout).toContain(process.arch === "x64" ? "installed example/multi@0.5.0 linux_amd64" : "example/multi");
    const lock = lockOf(dir);
    expect(lock).toContain('[plugins."example/multi".platforms."darwin_arm64"]');
    expect(lock).toContain('[plugins."example/multi".platforms."linux_amd64"]');
  });
});

describe("the plugin cache", () => {
  it("survives 8 concurrent syncs into one empty cache: one copy, identical locks, nothing left behind", async () => {
    const env = { ...process.env, NO_COLOR: "1", ...reg.env, XDG_CACHE_HOME: join(reg.root, "cache-concurrent") };
    const dirs = Array.from({ length: 8 }, (_, i) => project(reg.root, `concurrent-${i}`, `"example/python-policy" = "~0.1"`));
    const codes = await Promise.all(
      dirs.map(
        (dir) =>
          new Promise<{ code: number | null; err: string }>((resolve) => {
            const p = spawn(process.execPath, [CIG, "--cwd", dir, "sync"], { env });
            let err = "";
            p.stderr.on("data", (d: Buffer) => {
              err += d.toString();
            });
            p.on("exit", (code) => resolve({ code, err }));
          }),
      ),
    );
    expect(
      codes.map((c) => c.code),
      codes.map((c) => c.err).join("\n"),
    ).toEqual(Array(8).fill(0));
    const base = join(reg.root, "cache-concurrent/cig");
    expect(readdirSync(join(base, "plugins/registry.cig.dev/example/python-policy/0.1.0"))).toHaveLength(1);
    expect(readdirSync(join(base, "tmp"))).toEqual([]);
    expect(readdirSync(join(base, "plugins/registry.cig.dev/example/python-policy/0.1.0")).some((f) => f.endsWith(".lock"))).toBe(false);
    const locks = new Set(dirs.map(lockOf));
    expect(locks.size).toBe(1);
    expect(cig({ ...reg.env, XDG_CACHE_HOME: join(reg.root, "cache-concurrent") }, dirs[0] as string, "render").status).toBe(0);
  });

  it("refuses the tampered lock of lockfile-examples/ before extracting anything", () => {
    const dir = project(reg.root, "tampered-lock", `"example/python-policy" = "~0.1"`);
    copyFileSync(join(REPO_ROOT, "lockfile-examples/tampered-archive-hash.lock"), join(dir, "cig.lock"));
    const env = { ...reg.env, XDG_CACHE_HOME: join(reg.root, "cache-tampered-lock") };
    const r = cig(env, dir, "render");
    expect(r.status).toBe(12);
    expect(r.stderr).toContain("CIG_HASH_MISMATCH");
    expect(r.stderr).toContain("want sha256:0000000000000000");
    expect(existsSync(join(reg.root, "cache-tampered-lock/cig/plugins/registry.cig.dev/example/python-policy/0.1.0"))).toBe(true);
    expect(readdirSync(join(reg.root, "cache-tampered-lock/cig/plugins/registry.cig.dev/example/python-policy/0.1.0"))).toEqual([]);
  });
});

describe("offline", () => {
  it("syncs from the lock and the cache, from a mirror, and says what is missing otherwise", async () => {
    const dir = project(reg.root, "offline", `"example/python-policy" = "~0.1"`);
    expect(cig(reg.env, dir, "sync").status).toBe(0);
    const lock = lockOf(dir);
    const dead = { ...reg.env, CIG_REGISTRY_HOSTS: "registry.cig.dev=http://127.0.0.1:9" };
    const cached = cig(dead, dir, "sync", "--offline");
    expect(cached.status, cached.out).toBe(0);
    expect(lockOf(dir)).toBe(lock);
    const empty = { ...dead, XDG_CACHE_HOME: join(reg.root, "cache-offline-empty") };
    const missing = cig(empty, dir, "sync", "--offline");
    expect(missing.status).toBe(10);
    expect(missing.stderr).toContain("CIG_OFFLINE_UNAVAILABLE");
    // A mirror: the registry's version document and archive, copied as files.
    const mirror = join(reg.root, "mirror");
    const into = join(mirror, "registry.cig.dev/example/python-policy");
    mkdirSync(join(into, "0.1.0"), { recursive: true });
    const api = `${reg.url}/v1/plugins/example/python-policy/0.1.0`;
    writeFileSync(join(into, "0.1.0.json"), await (await fetch(api)).text());
    writeFileSync(join(into, "0.1.0/any.tar.gz"), Buffer.from(await (await fetch(`${api}/archive/any.tar.gz`)).arrayBuffer()));
    const fromMirror = cig({ ...empty, CIG_PLUGIN_MIRROR: mirror }, dir, "sync", "--offline");
    expect(fromMirror.status, fromMirror.out).toBe(0);
    expect(fromMirror.stdout).toContain("offline: mirror");
    expect(fromMirror.stdout).toContain("(downloaded, verified)");
  });
});

describe("a registry that lies", () => {
  it("refuses a version listing whose requires differ from the signed release", async () => {
    // A proxy in front of the real registry that adds a dependency to every listed version.
    const proxy = createServer(async (req, res) => {
      const upstream = await fetch(`${reg.url}${req.url}`);
      let body = Buffer.from(await upstream.arrayBuffer());
      if (req.url?.endsWith("/versions") && upstream.status === 200) {
        const doc = JSON.parse(body.toString()) as { versions: Array<{ requires: string[] }> };
        for (const v of doc.versions) v.requires.push("example/python-policy@*");
        body = Buffer.from(JSON.stringify(doc));
      }
      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" }).end(body);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    try {
      const port = (proxy.address() as AddressInfo).port;
      const dir = project(reg.root, "liar", `"example/python-policy" = "~0.1"`);
      const r = await cigAsync({ ...reg.env, CIG_REGISTRY_HOSTS: `registry.cig.dev=http://127.0.0.1:${port}` }, dir, "sync");
      expect(r.status).toBe(10);
      expect(r.stderr).toContain("CIG_REGISTRY_BAD_RESPONSE");
      expect(r.stderr).toContain("but its signed release says []");
      expect(existsSync(join(dir, "cig.lock"))).toBe(false);
    } finally {
      proxy.close();
    }
  });
});

describe("stale locks", () => {
  it('refuses to run a locked plugin cig.toml no longer asks for, and reads [plugins."x"] sections', () => {
    const dir = project(reg.root, "pruned", "");
    const toml = join(dir, "cig.toml");
    writeFileSync(toml, `${readFileSync(toml, "utf8")}\n[plugins."example/python-policy"]\nversion = "~0.1"\n`);
    expect(cig(reg.env, dir, "render").stderr).toContain("CIG_LOCK_MISSING");
    expect(cig(reg.env, dir, "sync").status).toBe(0);
    expect(cig(reg.env, dir, "render").out).toContain("POLICY_UNPINNED_IMAGE");
    writeFileSync(
      toml,
      readFileSync(toml, "utf8").replace('[plugins."example/python-policy"]\nversion = "~0.1"\n', '"example/multi" = "0.5.0"\n'),
    );
    const r = cig(reg.env, dir, "render");
    expect(r.status).toBe(11);
    expect(r.stderr).toContain("CIG_LOCK_STALE");
  });
});

describe("keys and composition", () => {
  it("refuses a locked plugin whose new release another key signed, until --upgrade", () => {
    const dir = project(reg.root, "rotate", `"example/python-policy" = "~0.1"`);
    expect(cig(reg.env, dir, "sync").status).toBe(0);
    const newKey = join(reg.root, "example-2.pem");
    const gen = cig(reg.env, reg.root, "keygen", "--out", newKey, "--json");
    registryCli(
      "namespace",
      "add-key",
      "example",
      "--key",
      (JSON.parse(gen.stdout) as { public_key: string }).public_key,
      "--data",
      reg.data,
    );
    const r = cig(
      { ...withToken(reg.tokens.example as string), CIG_SIGNING_KEY: newKey },
      reg.root,
      "publish",
      "--plugin",
      pythonPolicyAt(join(reg.root, "rot"), "0.1.1"),
    );
    expect(r.status, r.out).toBe(0);
    writeFileSync(join(dir, "cig.toml"), readFileSync(join(dir, "cig.toml"), "utf8").replace('"~0.1"', '">=0.1.1 <0.2"'));
    const changed = cig(reg.env, dir, "sync");
    expect(changed.status).toBe(12);
    expect(changed.stderr).toContain("CIG_SIGNER_CHANGED");
    expect(changed.stderr).toContain("cig sync --upgrade");
    const accepted = cig(reg.env, dir, "sync", "--upgrade");
    expect(accepted.status, accepted.out).toBe(0);
    expect(lockOf(dir)).toContain(`signer = "${(JSON.parse(gen.stdout) as { key_id: string }).key_id}"`);
  });

  it("names who wants what when two modules' requires conflict", () => {
    const needs = (name: string, range: string) =>
      renamedPolicy(reg.root, `example/${name}`, "1.0.0", `requires = ["example/python-policy@${range}"]`);
    expect(publish(reg, "example", needs("needs-old", "~0.1")).status).toBe(0);
    expect(publish(reg, "example", needs("needs-new", "^0.5")).status).toBe(0);
    const dir = project(reg.root, "conflict", `"example/needs-old" = "1"\n"example/needs-new" = "1"`);
    const r = cig(reg.env, dir, "sync");
    expect(r.status).toBe(10);
    expect(r.stderr).toContain("CIG_RESOLVE_CONFLICT");
    expect(r.stderr).toContain("example/needs-old@1.0.0 (requires) wants ~0.1");
    expect(r.stderr).toContain("example/needs-new@1.0.0 (requires) wants ^0.5");
    expect(existsSync(join(dir, "cig.lock"))).toBe(false);
  });

  it("checks a uses step's `with` against the module's [inputs]", () => {
    const deployer = pythonPolicyAt(join(reg.root, "deployer"), "1.0.0", (t) =>
      t
        .replace('name = "example/python-policy"', 'name = "example/deployer"')
        .concat(
          '\n[inputs]\ntarget = { type = "string", default = "staging" }\nreplicas = { type = "integer" }\nregions = { type = "array", optional = true }\n',
        ),
    );
    expect(publish(reg, "example", deployer).status).toBe(0);
    const dir = project(reg.root, "inputs", "");
    writeFileSync(
      join(dir, "cig.toml"),
      readFileSync(join(dir, "cig.toml"), "utf8").replace(
        'steps = [{ run = "make" }]',
        'steps = [\n  { run = "make" },\n  { uses = "example/deployer@^1", with = { targte = "prod", regions = "eu" } },\n]',
      ),
    );
    expect(cig(reg.env, dir, "sync").status).toBe(0);
    const r = cig(reg.env, dir, "validate");
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/CIG_MODULE_INPUT_UNKNOWN.*jobs\.build\.steps\[1\]: example\/deployer has no input "targte"/);
    expect(r.out).toContain('Did you mean "target"?');
    expect(r.out).toContain('input "regions" of example/deployer is array, not string');
    expect(r.out).toContain('example/deployer needs the input "replicas" (integer)');
    expect(r.out).toContain("--> cig.toml:11:3");
  });

  it("starts a Python plugin that does not avoid __pycache__ twice: its cached files stay as installed", () => {
    const dir0 = renamedPolicy(reg.root, "example/bytecode", "0.1.0");
    const entry = join(dir0, "cig-plugin-python-policy");
    writeFileSync(entry, readFileSync(entry, "utf8").replace("sys.dont_write_bytecode = True", ""));
    expect(readFileSync(entry, "utf8")).not.toContain("dont_write_bytecode");
    expect(publish(reg, "example", dir0).status).toBe(0);
    const dir = project(reg.root, "bytecode", `"example/bytecode" = "0.1.0"`);
    expect(cig(reg.env, dir, "sync").status).toBe(0);
    for (let i = 0; i < 2; i++) {
      const r = cig(reg.env, dir, "render");
      expect(r.status, r.out).toBe(0);
    }
  });

  it("refuses to run a module whose capabilities_required nothing provides", () => {
    const needy = renamedPolicy(reg.root, "example/needy", "1.0.0", 'capabilities_required = ["provider:circleci"]');
    expect(publish(reg, "example", needy).status).toBe(0);
    const dir = project(reg.root, "needy", `"example/needy" = "1"`);
    expect(cig(reg.env, dir, "sync").status).toBe(0);
    const r = cig(reg.env, dir, "render");
    expect(r.status).toBe(5);
    expect(r.stderr).toContain("CIG_CAPABILITY_UNMET");
    expect(r.stderr).toContain("example/needy requires provider:circleci (capabilities_required in its module.toml)");
    writeFileSync(
      join(dir, "cig.toml"),
      `${readFileSync(join(dir, "cig.toml"), "utf8")}\n[[outputs]]\nprovider = "circleci"\npath = ".circleci/config.yml"\n`,
    );
    const ok = cig(reg.env, dir, "render");
    expect(ok.status, ok.out).toBe(0);
  });

  it("overrides a std plugin with the version [plugins] names", () => {
    const node = renamedPolicy(reg.root, "lang/node", "1.0.0");
    expect(publish(reg, "lang", node).status).toBe(0);
    const dir = project(reg.root, "override", `"lang/node" = "^1"`);
    writeFileSync(
      join(dir, "cig.toml"),
      readFileSync(join(dir, "cig.toml"), "utf8").replace('steps = [{ run = "make" }]', 'packages = ["node"]\nsteps = [{ run = "make" }]'),
    );
    const sync = cig(reg.env, dir, "sync");
    expect(sync.status, sync.out).toBe(0);
    expect(lockOf(dir)).toContain('[plugins."lang/node"]\nversion = "1.0.0"\nsource = "registry.cig.dev/lang/node"');
    const plan = cig(reg.env, dir, "plan", "--json");
    const plugins = (JSON.parse(plan.stdout) as { plugins: Array<{ name: string; version: string }> }).plugins;
    expect(plugins.filter((p) => p.name === "lang/node")).toEqual([{ name: "lang/node", version: "1.0.0" }]);
  });

  it("resolves an address that names its registry host", () => {
    const env = { ...reg.env, CIG_REGISTRY_HOSTS: `registry.cig.dev=${reg.url},registry.example.com=${reg.url}` };
    const dir = project(reg.root, "hosted", "");
    const r = cig(env, dir, "plugin", "add", "registry.example.com/example/python-policy@~0.1");
    expect(r.status, r.out).toBe(0);
    expect(readFileSync(join(dir, "cig.toml"), "utf8")).toContain(
      '"example/python-policy" = { version = "~0.1", source = "registry.example.com" }',
    );
    expect(lockOf(dir)).toContain('source = "registry.example.com/example/python-policy"');
    expect(cig(env, dir, "render").status).toBe(0);
  });
});
