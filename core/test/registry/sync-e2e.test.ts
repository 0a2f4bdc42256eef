import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readArchive } from "../../src/registry/read-archive.js";
import { REPO_ROOT } from "../process-helpers.js";
import { CIG, cig, project, publish, pythonPolicyAt, type Registry, registryCli, startRegistry } from "./registry-harness.js";

// Real processes end to end: `cig-registry serve` on port 0, `cig publish`, `cig sync`,
// `cig render` starting the plugin from the cache. The plugin is the Python example.
let reg: Registry;
beforeAll(async () => {
  reg = await startRegistry(["example", "other"]);
  for (const v of ["0.1.0", "0.2.0"]) {
    const r = publish(reg, "example", pythonPolicyAt(reg.root, v));
    expect(r.out).toContain(`published example/python-policy@${v}`);
    expect(r.status).toBe(0);
  }
  // The TypeScript example, straight from examples/: module.toml's include packs its bundle only.
  const ts = publish(reg, "example", join(REPO_ROOT, "examples/plugins/job-limits"));
  expect(ts.status, ts.out).toBe(0);
}, 120_000);
afterAll(() => reg?.stop());

const lockOf = (dir: string) => readFileSync(join(dir, "cig.lock"), "utf8");

describe("publish → sync → lock → render", () => {
  it("locks the highest version a constraint allows and renders with that plugin", () => {
    const dir = project(reg.root, "app", `"example/python-policy" = "~0.1"`);
    const sync = cig(reg.env, dir, "sync");
    expect(sync.status, sync.out).toBe(0);
    expect(sync.stdout).toContain("✓ example/python-policy@0.1.0 (registry.cig.dev)");
    expect(sync.stdout).toMatch(/installed example\/python-policy@0.1.0 any \(downloaded, verified\)/);
    const lock = lockOf(dir);
    expect(lock).toMatch(/^# cig\.lock — written by `cig sync`\. Do not edit/);
    expect(lock).toContain(
      '[plugins."example/python-policy"]\nversion = "0.1.0"\nsource = "registry.cig.dev/example/python-policy"\nconstraints = ["~0.1"]',
    );
    expect(lock).toMatch(
      /\[plugins\."example\/python-policy"\.platforms\."any"\]\narchive = \["sha256:[0-9a-f]{64}"\]\ncontent = \["tree1:[0-9a-f]{64}"\]/,
    );
    expect(lock).toContain('[plugins."provider/github"]\nversion = "0.1.0"\nsource = "builtin"');
    const render = cig(reg.env, dir, "render");
    expect(render.status, render.out).toBe(0);
    expect(render.out).toContain("POLICY_UNPINNED_IMAGE");
    const plan = cig(reg.env, dir, "plan", "--json");
    expect(JSON.parse(plan.stdout).plugins).toContainEqual({ name: "example/python-policy", version: "0.1.0" });
    // A second sync changes nothing and downloads nothing.
    const again = cig(reg.env, dir, "sync");
    expect(again.stdout).toContain("(cached)");
    expect(again.stdout).toContain("cig.lock: unchanged");
    expect(lockOf(dir)).toBe(lock);
  });

  it("keeps the locked version while it satisfies cig.toml, and moves with --upgrade", () => {
    const dir = project(reg.root, "upgrade", `"example/python-policy" = "~0.1"`);
    const toml = join(dir, "cig.toml");
    expect(cig(reg.env, dir, "sync").status).toBe(0);
    writeFileSync(toml, readFileSync(toml, "utf8").replace('"~0.1"', '">=0.1"'));
    // 0.1.0 still satisfies >=0.1: the lock is not stale, and a sync keeps it.
    expect(cig(reg.env, dir, "render").status).toBe(0);
    expect(cig(reg.env, dir, "sync").stdout).toContain("example/python-policy@0.1.0");
    const up = cig(reg.env, dir, "sync", "--upgrade");
    expect(up.stdout).toContain("example/python-policy@0.2.0 (registry.cig.dev, was 0.1.0)");
    expect(lockOf(dir)).toContain('version = "0.2.0"');
    const plan = cig(reg.env, dir, "plan", "--json");
    expect(JSON.parse(plan.stdout).plugins).toContainEqual({ name: "example/python-policy", version: "0.2.0" });
    // A range the locked version no longer satisfies makes the lock stale until the next sync.
    writeFileSync(toml, readFileSync(toml, "utf8").replace('">=0.1"', '"~0.1"'));
    const stale = cig(reg.env, dir, "render");
    expect(stale.status).toBe(11);
    expect(stale.stderr).toContain("CIG_LOCK_STALE");
    expect(stale.stderr).toContain("is locked at 0.2.0, which does not satisfy ~0.1");
    expect(cig(reg.env, dir, "sync").stdout).toContain("example/python-policy@0.1.0 (registry.cig.dev, was 0.2.0)");
  });

  it("refuses to render without a lock, naming cig sync", () => {
    const dir = project(reg.root, "nolock", `"example/python-policy" = "*"`);
    const r = cig(reg.env, dir, "render");
    expect(r.status).toBe(11);
    expect(r.stderr).toContain("CIG_LOCK_MISSING");
    expect(r.stderr).toContain("cig sync");
  });

  it("never chooses a yanked version for a new lock, but installs it from an existing one", () => {
    const locked = project(reg.root, "yank-old", `"example/python-policy" = "*"`);
    expect(cig(reg.env, locked, "sync").stdout).toContain("@0.2.0");
    registryCli("yank", "example/python-policy@0.2.0", "--data", reg.data);
    const fresh = project(reg.root, "yank-new", `"example/python-policy" = "*"`);
    expect(cig(reg.env, fresh, "sync").stdout).toContain("example/python-policy@0.1.0");
    // The old lock still installs 0.2.0 on a machine that never had it (an empty cache).
    const env = { ...reg.env, XDG_CACHE_HOME: join(reg.root, "cache-fresh") };
    const r = cig(env, locked, "sync");
    expect(r.status, r.out).toBe(0);
    expect(r.stdout).toContain("installed example/python-policy@0.2.0 any (downloaded, verified)");
  });

  it("cig plugin add edits cig.toml in place and syncs", () => {
    const dir = project(reg.root, "add", "");
    const before = readFileSync(join(dir, "cig.toml"), "utf8");
    const r = cig(reg.env, dir, "plugin", "add", "example/python-policy@~0.1");
    expect(r.status, r.out).toBe(0);
    expect(readFileSync(join(dir, "cig.toml"), "utf8")).toBe(
      before.replace("[plugins]\n", '[plugins]\n"example/python-policy" = "~0.1"\n'),
    );
    expect(lockOf(dir)).toContain('version = "0.1.0"');
    const bad = cig(reg.env, dir, "plugin", "add", "example/no-such-plugin@^1");
    expect(bad.status).toBe(10);
    expect(bad.stderr).toContain("CIG_RESOLVE_NOT_FOUND");
    expect(readFileSync(join(dir, "cig.toml"), "utf8")).not.toContain("no-such-plugin");
  });
});

describe("third-party plugins from examples/", () => {
  it("publishes the TypeScript one as its bundle alone, and renders with it and the Python one", async () => {
    const gz = readFileSync(join(reg.data, "plugins/example/job-limits/0.1.0/any.tar.gz"));
    expect((await readArchive(gz, "job-limits")).map((e) => e.path)).toEqual([
      "bin/cig-plugin-job-limits",
      "dist/bundle.mjs",
      "module.toml",
    ]);
    const dir = project(reg.root, "both", `"example/job-limits" = "~0.1"\n"example/python-policy" = "~0.1"`);
    const sync = cig(reg.env, dir, "sync");
    expect(sync.status, sync.out).toBe(0);
    const render = cig(reg.env, dir, "render");
    expect(render.status, render.out).toBe(0);
    expect(render.out).toContain("LIMITS_NO_TIMEOUT");
    expect(render.out).toContain("job build has no timeout");
    expect(render.out).toContain("POLICY_UNPINNED_IMAGE");
    const plan = JSON.parse(cig(reg.env, dir, "plan", "--json").stdout) as { plugins: Array<{ name: string; version: string }> };
    expect(plan.plugins).toEqual(
      expect.arrayContaining([
        { name: "example/job-limits", version: "0.1.0" },
        { name: "example/python-policy", version: "0.1.0" },
      ]),
    );
  });
});

describe("progress", () => {
  it("shows a download line on a terminal and none in a pipe", () => {
    const dir = project(reg.root, "tty", `"example/python-policy" = "0.1.0"`);
    const env = { ...process.env, ...reg.env, NO_COLOR: "1", XDG_CACHE_HOME: join(reg.root, "cache-tty") };
    // util-linux `script` (Debian's essential bsdutils) runs cig on a pseudo-terminal.
    const tty = spawnSync(
      "script",
      ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(CIG)} --cwd ${JSON.stringify(dir)} sync`, "/dev/null"],
      { env, encoding: "utf8" },
    );
    expect(tty.status, tty.stdout + tty.stderr).toBe(0);
    expect(tty.stdout).toMatch(/\r {2}downloading example\/python-policy 0\.1\.0 \(any\) \d+%/);
    const piped = cig({ ...reg.env, XDG_CACHE_HOME: join(reg.root, "cache-pipe") }, dir, "sync");
    expect(piped.out).not.toContain("downloading");
  });
});

describe("[resolved_versions]", () => {
  it("records the tool versions the used modules detect, and builtin entries for std plugins", () => {
    const dir = project(reg.root, "tools", "");
    writeFileSync(
      join(dir, "cig.toml"),
      readFileSync(join(dir, "cig.toml"), "utf8").replace('steps = [{ run = "make" }]', 'packages = ["node"]\nsteps = [{ run = "make" }]'),
    );
    writeFileSync(join(dir, ".nvmrc"), "v20.11.0\n");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "tools", packageManager: "pnpm@9.15.0" }));
    const r = cig(reg.env, dir, "sync");
    expect(r.status, r.out).toBe(0);
    const lock = lockOf(dir);
    expect(lock).toContain('[plugins."lang/node"]\nversion = "0.1.0"\nsource = "builtin"');
    expect(lock).toContain('[resolved_versions]\nnode = "20.11.0"\npnpm = "9.15.0"\n');
    expect(lock).not.toContain("python-policy");
  });
});

describe("tampering", () => {
  it("refuses a cached plugin whose files changed, and --repair reinstalls it", () => {
    const dir = project(reg.root, "tamper", `"example/python-policy" = "~0.1"`);
    expect(cig(reg.env, dir, "sync").status).toBe(0);
    const base = join(reg.root, "cache/cig/plugins/registry.cig.dev/example/python-policy/0.1.0");
    const cached = join(base, readdirSync(base)[0] as string);
    const entry = join(cached, "policy.py");
    chmodSync(entry, 0o644);
    writeFileSync(entry, `${readFileSync(entry, "utf8")}\n# evil\n`);
    const r = cig(reg.env, dir, "render");
    expect(r.status).toBe(12);
    expect(r.stderr).toContain("CIG_PLUGIN_TAMPERED");
    expect(r.stderr).toContain("cig sync --repair");
    const plain = cig(reg.env, dir, "sync");
    expect(plain.status).toBe(12);
    expect(cig(reg.env, dir, "sync", "--repair").status).toBe(0);
    expect(readFileSync(entry, "utf8")).not.toContain("# evil");
    expect(cig(reg.env, dir, "render").status).toBe(0);
  });

  it("refuses an archive the registry altered after publishing (hash mismatch)", () => {
    const dir = project(reg.root, "tamper-archive", `"example/python-policy" = "0.1.0"`);
    const archive = join(reg.data, "plugins/example/python-policy/0.1.0/any.tar.gz");
    const original = readFileSync(archive);
    writeFileSync(archive, Buffer.concat([original, Buffer.from("x")]));
    try {
      const r = cig({ ...reg.env, XDG_CACHE_HOME: join(reg.root, "cache-tamper") }, dir, "sync");
      expect(r.status).toBe(12);
      expect(r.stderr).toContain("CIG_HASH_MISMATCH");
      expect(r.stderr).toContain("example/python-policy 0.1.0 (any)");
      expect(existsSync(join(dir, "cig.lock"))).toBe(false);
    } finally {
      writeFileSync(archive, original);
    }
  });

  it("refuses a release whose signature does not verify, and one signed by an unknown key", () => {
    const dir = project(reg.root, "tamper-sig", `"example/python-policy" = "0.1.0"`);
    const sigFile = join(reg.data, "plugins/example/python-policy/0.1.0/signature");
    const original = readFileSync(sigFile, "utf8");
    const env = { ...reg.env, XDG_CACHE_HOME: join(reg.root, "cache-sig") };
    try {
      // Same key id, other bytes: an altered release.
      const [scheme, id, b64] = original.trim().split(":") as [string, string, string];
      const flipped = Buffer.from(b64, "base64");
      flipped[0] = (flipped[0] as number) ^ 1;
      writeFileSync(sigFile, `${scheme}:${id}:${flipped.toString("base64")}`);
      const bad = cig(env, dir, "sync");
      expect(bad.status).toBe(12);
      expect(bad.stderr).toContain("CIG_SIGNATURE_INVALID");
      // A key nobody registered for the namespace.
      writeFileSync(sigFile, `${scheme}:0123456789abcdef:${b64}`);
      const unknown = cig(env, dir, "sync");
      expect(unknown.status).toBe(12);
      expect(unknown.stderr).toContain("CIG_SIGNER_UNKNOWN");
      expect(unknown.stderr).toContain("must register their key");
    } finally {
      writeFileSync(sigFile, original);
    }
  });
});
