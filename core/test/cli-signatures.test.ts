import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SIGNATURE_DEFAULTS as SDK_DEFAULTS } from "@cig/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SIGNATURE_DEFAULTS } from "../src/config/to-cig-schema.js";
import { REPO_ROOT } from "./process-helpers.js";

const CIG = join(REPO_ROOT, "core/bin/cig.js");

// The golden case with every kind of job: always runs, a skippable matrix, inputs only, never_skip.
const CASE = join(REPO_ROOT, "golden-tests/skip-signatures/input");

interface Decision {
  job: string;
  variant: string;
  signature: string;
  should_run: boolean;
  reason: string;
  details?: { files?: { changed: string[]; added: string[] }; upstream?: string[]; env?: string[]; definition?: true };
}

let dir = "";
const git = (...args: string[]) => {
  const r = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
};
const cig = (args: string[], env: Record<string, string> = {}) => {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(GITHUB_|CIRCLE|BUILDKITE|CI_|BRANCH_NAME|CIG_|SKIP_TESTS)/.test(k)),
  );
  return spawnSync(process.execPath, [CIG, "--cwd", dir, ...args], { encoding: "utf8", env: { ...clean, NO_COLOR: "1", ...env } });
};
const decisions = (env: Record<string, string> = {}): Record<string, Decision> => {
  const r = cig(["--json", "compute-signatures"], env);
  expect(r.status, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as { signatures: Decision[] };
  return Object.fromEntries(doc.signatures.map((d) => [d.variant, d]));
};
const runs = (ds: Record<string, Decision>) =>
  Object.values(ds)
    .filter((d) => d.should_run)
    .map((d) => d.variant)
    .sort();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cig-sig-cli-"));
  for (const f of ["cig.toml", "README.md", "app/main.rb", "spec/main_spec.rb", "docs/index.md"]) {
    mkdirSync(join(dir, f, ".."), { recursive: true });
    writeFileSync(join(dir, f), readFileSync(join(CASE, f)));
  }
  writeFileSync(join(dir, ".gitignore"), ".cig/\n");
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", "commit", "-qm", "init");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("[signatures] defaults", () => {
  it("are the same in the core (which fills them in) and the SDK (for requests built by hand)", () => {
    expect(SDK_DEFAULTS).toEqual(SIGNATURE_DEFAULTS);
  });
});

describe("cig compute-signatures and record-pass", () => {
  it("runs everything first, skips what passed, and re-runs a changed job and its dependents only", () => {
    const first = decisions();
    expect(runs(first)).toEqual(["deploy", "docs", "setup", "test-shard1", "test-shard2"]);
    expect(first["test-shard1"]?.reason).toBe("never_recorded");
    expect(first.setup?.reason).toBe("not_skippable");
    expect(first.deploy?.reason).toBe("never_skip");
    for (const id of ["test", "docs"]) expect(cig(["record-pass", id]).status).toBe(0);
    const second = decisions();
    expect(runs(second)).toEqual(["deploy", "setup"]);
    expect(second.docs?.reason).toBe("unchanged");

    writeFileSync(join(dir, "docs/index.md"), "# changed\n");
    const third = decisions();
    expect(runs(third)).toEqual(["deploy", "docs", "setup"]);
    expect(third.docs?.reason).toBe("files_changed");
    expect(third.docs?.details?.files?.changed).toEqual(["docs/index.md"]);

    appendFileSync(join(dir, "app/main.rb"), "more\n");
    const fourth = decisions();
    expect(runs(fourth)).toEqual(["deploy", "docs", "setup", "test-shard1", "test-shard2"]);
    expect(fourth.docs?.reason).toBe("files_changed");
    expect(fourth["test-shard2"]?.details?.files?.changed).toEqual(["app/main.rb"]);
  });

  it("honours skip_if.env, skip_if.branch and the force variable", () => {
    const env = decisions({ SKIP_TESTS: "1" });
    expect(env["test-shard1"]).toMatchObject({ should_run: false, reason: "skip_if:env" });
    expect(env["test-shard1"]?.details?.env).toEqual(["SKIP_TESTS"]);
    const empty = decisions({ SKIP_TESTS: "" });
    expect(empty["test-shard1"]).toMatchObject({ should_run: true });
    const branch = decisions({ GITHUB_REF_NAME: "dependabot/npm/left-pad-2" });
    expect(branch["test-shard2"]).toMatchObject({ should_run: false, reason: "skip_if:branch" });
    expect(cig(["record-pass", "docs"]).status).toBe(0);
    expect(decisions().docs?.should_run).toBe(false);
    expect(decisions({ CIG_FORCE: "docs" }).docs).toMatchObject({ should_run: true, reason: "forced" });
    expect(decisions({ CIG_FORCE: "1" }).docs).toMatchObject({ should_run: true, reason: "forced" });
    const typo = cig(["compute-signatures"], { CIG_FORCE: "dosc" });
    expect(typo.stderr).toContain("CIG_SIG_UNKNOWN_FORCE");
    expect(typo.stderr).toContain('"dosc"');
  });

  it("treats 0 and false in a skip_if.env variable as not set", () => {
    expect(decisions({ SKIP_TESTS: "false" })["test-shard1"]?.reason).toBe("never_recorded");
    expect(decisions({ SKIP_TESTS: "0" })["test-shard1"]?.reason).toBe("never_recorded");
    expect(decisions({ SKIP_TESTS: "yes" })["test-shard1"]?.reason).toBe("skip_if:env");
  });

  it("re-runs on settings outside the job: workflow env, a cache's table, and the files its packages install from", () => {
    const toml = join(dir, "cig.toml");
    const base = readFileSync(toml, "utf8")
      .replace('version = "0.2"\n', 'version = "0.2"\nenv = { GLOBAL = "1" }\n')
      .replace("[signatures]", '[caches.deps]\npaths = ["vendor"]\nkey_parts = ["a"]\n\n[signatures]')
      .replace("[jobs.docs]\n", '[jobs.docs]\npackages = ["node"]\ncaches = ["deps"]\n');
    writeFileSync(toml, base);
    writeFileSync(join(dir, "package.json"), '{"name":"x"}\n');
    git("add", "-A");
    const first = decisions();
    expect(cig(["record-pass", "docs"]).status).toBe(0);
    expect(decisions().docs?.should_run).toBe(false);

    // Every job sees the workflow env: test changed too (the first reason), and docs' own definition.
    writeFileSync(toml, base.replace('GLOBAL = "1"', 'GLOBAL = "2"'));
    expect(decisions().docs).toMatchObject({ should_run: true, reason: "upstream_changed", details: { definition: true } });
    writeFileSync(toml, base.replace('key_parts = ["a"]', 'key_parts = ["b"]'));
    expect(decisions().docs).toMatchObject({ should_run: true, reason: "definition_changed" });
    writeFileSync(toml, base);
    expect(decisions().docs?.signature).toBe(first.docs?.signature);

    // A new dependency: package.json and a lockfile are inputs of every job with packages = ["node"].
    writeFileSync(join(dir, "package.json"), '{"name":"x","dependencies":{"left-pad":"1"}}\n');
    expect(decisions().docs).toMatchObject({ should_run: true, reason: "files_changed" });
    writeFileSync(join(dir, "package.json"), '{"name":"x"}\n');
    writeFileSync(join(dir, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
    expect(decisions().docs?.details?.files?.added).toEqual(["pnpm-lock.yaml"]);
    // Absent lockfiles are not reported as globs that match nothing.
    expect(cig(["compute-signatures"]).stderr).not.toContain("yarn.lock");
  });

  it("prints events, lines, a table, and the GitHub decisions output", () => {
    const events = cig(["compute-signatures", "--events"])
      .stdout.trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.map((e) => `${e.event} ${e.variant}`)).toContain("job.scheduled test-shard1");
    const lines = cig(["compute-signatures", "--lines"]).stdout.trim().split("\n");
    // Variants and the matrix job as a group.
    expect(lines.map((l) => l.split(" ").slice(0, 2).join(" ")).sort()).toEqual(
      ["deploy run", "docs run", "setup run", "test run", "test-shard1 run", "test-shard2 run"].sort(),
    );
    for (const l of lines) expect(l).toMatch(/^\S+ (run|skip) blake3:[0-9a-f]{64}$/);
    const table = cig(["compute-signatures"]);
    expect(table.stdout).toMatch(/run {2}test-shard1 +blake3:[0-9a-f]{12}… {2}never_recorded/);
    expect(table.stdout).toContain("5 to run, 0 skipped");
    const out = join(dir, "gh-output");
    writeFileSync(out, "");
    expect(cig(["compute-signatures", "--github-output"], { GITHUB_OUTPUT: out }).status).toBe(0);
    const line = readFileSync(out, "utf8");
    expect(line.startsWith("decisions=")).toBe(true);
    const entries = JSON.parse(line.slice("decisions=".length)) as Record<string, { mode: string; key: string; signature: string }>;
    // Only skippable variants and their jobs: the workflow reads nothing else, and outputs are capped at 1 MB.
    expect(Object.keys(entries).sort()).toEqual(["docs", "test", "test-shard1", "test-shard2"]);
    expect(entries.test?.mode).toBe("check");
    expect(entries.test?.key).toMatch(/^cig-pass-v1-test-[0-9a-f]{64}$/);
    expect(entries["test-shard1"]?.key).toBe(`cig-pass-v1-test-shard1-${entries["test-shard1"]?.signature.slice(7)}`);
  });

  it("records create-only markers with manifests, and refuses a malformed signature", () => {
    const sig = decisions().docs?.signature ?? "";
    expect(cig(["record-pass", "docs", "--signature", sig]).status).toBe(0);
    expect(cig(["record-pass", "docs", "--signature", sig]).status).toBe(0);
    const markers = readdirSync(join(dir, ".cig/passes"));
    expect(markers).toEqual([`cig-pass-v1-docs-${sig.slice(7)}`]);
    const manifest = JSON.parse(readFileSync(join(dir, ".cig/passes", markers[0] ?? ""), "utf8"));
    expect(manifest).toMatchObject({ version: 1, job: "docs", variant: "docs", signature: sig });
    const bad = cig(["record-pass", "docs", "--signature", "sha256:00"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("CIG_SIG_BAD_SIGNATURE");
    const many = cig(["record-pass", "test", "--signature", sig]);
    expect(many.status).toBe(2);
    expect(many.stderr).toContain("test-shard1, test-shard2");
  });

  it("explains every input of a variant and what changed since its pass", () => {
    expect(cig(["record-pass", "test-shard1"]).status).toBe(0);
    appendFileSync(join(dir, "spec/main_spec.rb"), "x\n");
    const r = cig(["--json", "explain", "job", "test-shard1"]);
    expect(r.status, r.stderr).toBe(0);
    const sig = JSON.parse(r.stdout).signature;
    expect(sig.reason).toBe("files_changed");
    expect(sig.inputs.patterns).toEqual(["app/**", "spec/**"]);
    expect(sig.inputs.files.map((f: { path: string }) => f.path)).toEqual(["app/main.rb", "spec/main_spec.rb"]);
    expect(sig.inputs.env).toEqual({ SKIP_TESTS: "unset" });
    expect(sig.changed.files.changed).toEqual(["spec/main_spec.rb"]);
    const text = cig(["explain", "job", "test-shard1"], { SKIP_TESTS: "secret-value" }).stdout;
    expect(text).toContain("Work signature");
    expect(text).toContain("SKIP_TESTS (set)");
    expect(text).not.toContain("secret-value");
  });

  it("names an unknown job with a did-you-mean, and needs GITHUB_OUTPUT for --github-output", () => {
    const r = cig(["compute-signatures", "--job", "tset"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Did you mean "test"?');
    expect(cig(["compute-signatures", "--github-output"]).stderr).toContain("GITHUB_OUTPUT");
    expect(existsSync(join(dir, ".cig/passes"))).toBe(false);
  });
});
