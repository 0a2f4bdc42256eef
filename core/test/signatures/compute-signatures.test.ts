import { chmodSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commitAll, git, gitRepo, tempDir, writeFiles } from "./git-repo.js";
import { changed, FACTS, FILES, JOBS, run, sign } from "./sign-fixture.js";

const ALL = ["audit", "build", "deploy", "docs", "lint", "test-ruby3.2", "test-ruby3.3"];
const BUILD = ["build", "deploy", "test-ruby3.2", "test-ruby3.3"];
// Any file change re-signs audit (every file); a src/ change also build and what needs it, a .ts one lint.
const SRC = ["audit", "build", "deploy", "lint", "test-ruby3.2", "test-ruby3.3"];
const SRC_NOT_TS = ["audit", ...BUILD];

function project(): string {
  const root = gitRepo(FILES);
  symlinkSync("a.ts", join(root, "src/link"));
  commitAll(root);
  return root;
}

describe("computeSignatures", () => {
  it("signs every variant upstream first, as blake3:<64 hex>, with no warnings", async () => {
    const { results, diagnostics } = await sign(project());
    expect(results.map((r) => r.variant)).toEqual(["audit", "build", "docs", "lint", "test-ruby3.2", "test-ruby3.3", "deploy"]);
    for (const r of results) expect(r.signature).toMatch(/^blake3:[0-9a-f]{64}$/u);
    expect(new Set(results.map((r) => r.signature)).size).toBe(results.length);
    expect(diagnostics).toEqual([]);
    expect(Object.fromEntries(results.map((r) => [r.variant, r.skippable]))).toEqual({
      audit: true,
      build: true,
      docs: true,
      lint: true,
      "test-ruby3.2": true,
      "test-ruby3.3": true,
      deploy: false,
    });
    const audit = results.find((r) => r.variant === "audit");
    expect(audit?.components.everyFile).toBe(true);
    expect(audit?.components.files).toHaveLength(Object.keys(FILES).length + 1);
    const deploy = results.find((r) => r.variant === "deploy");
    expect(deploy?.components).toMatchObject({ everyFile: false, files: [], patterns: [] });
    expect(deploy?.components.upstream).toEqual({
      "test-ruby3.2": results[4]?.signature,
      "test-ruby3.3": results[5]?.signature,
    });
  });

  // Each worktree change re-signs exactly the variants whose inputs it touches, and their dependents.
  const mutations: Array<[string, (root: string) => void, string[]]> = [
    ["edit a matched file", (r) => writeFileSync(join(r, "src/a.ts"), "export const a = 2;\n"), SRC],
    ["rename a matched file", (r) => renameSync(join(r, "src/a.ts"), join(r, "src/b.ts")), SRC],
    ["chmod +x", (r) => chmodSync(join(r, "src/run.sh"), 0o755), SRC_NOT_TS],
    [
      "retarget a symlink",
      (r) => {
        unlinkSync(join(r, "src/link"));
        symlinkSync("run.sh", join(r, "src/link"));
      },
      SRC_NOT_TS,
    ],
    ["CRLF in a dirty file", (r) => writeFileSync(join(r, "src/win.txt"), "one\r\ntwo\r\n"), SRC_NOT_TS],
    ["NFC name to NFD", (r) => renameSync(join(r, "src/caf\u00e9.txt"), join(r, "src/cafe\u0301.txt")), SRC_NOT_TS],
    ["edit a path with a space", (r) => writeFileSync(join(r, "src/with space.txt"), "changed\n"), SRC_NOT_TS],
    ["delete a file", (r) => unlinkSync(join(r, "src/with space.txt")), SRC_NOT_TS],
    ["add an untracked file", (r) => writeFileSync(join(r, "src/new.ts"), "new\n"), SRC],
    ["add an ignored file", (r) => writeFileSync(join(r, "src/debug.log"), "log\n"), []],
    ["edit a test", (r) => writeFileSync(join(r, "test/a_spec.rb"), "it\n"), ["audit", "deploy", "test-ruby3.2", "test-ruby3.3"]],
    ["edit one matrix cell's input", (r) => writeFileSync(join(r, "gemfiles/3.2.gemfile"), "x\n"), ["audit", "deploy", "test-ruby3.2"]],
    ["edit lint rules", (r) => writeFileSync(join(r, "lint/rules.json"), "[]\n"), ["audit", "lint"]],
    ["edit docs", (r) => writeFileSync(join(r, "docs/index.md"), "# Hi\n"), ["audit", "docs"]],
    ["edit an excluded draft", (r) => writeFileSync(join(r, "docs/drafts/next.md"), "x\n"), ["audit"]],
    ["edit the README", (r) => writeFileSync(join(r, "README.md"), "x\n"), ["audit"]],
    ["commit without changing content", (r) => commitAll(r, "empty"), []],
  ];
  it.each(mutations)("%s changes exactly the expected variants", async (_name, mutate, expected) => {
    const root = project();
    const before = (await sign(root)).signatures;
    mutate(root);
    expect(changed(before, (await sign(root)).signatures)).toEqual(expected);
  });

  it("hashes env values: unset, empty and set all differ, and only for jobs listing the variable", async () => {
    const root = project();
    const unset = (await sign(root)).signatures;
    const empty = (await sign(root, { env: { LINT_STRICT: "" } })).signatures;
    const one = (await sign(root, { env: { LINT_STRICT: "1" } })).signatures;
    const other = (await sign(root, { env: { LINT_STRICT: "1", UNRELATED: "x" } })).signatures;
    expect(changed(unset, empty)).toEqual(["lint"]);
    expect(changed(empty, one)).toEqual(["lint"]);
    expect(changed(unset, one)).toEqual(["lint"]);
    expect(other).toEqual(one);
  });

  it("hashes the tool versions of each job's packages, and upstream signatures downstream", async () => {
    const root = project();
    const base = (await sign(root)).signatures;
    expect(changed(base, (await sign(root, { facts: { ...FACTS, ruby_version: "3.4.0" } })).signatures)).toEqual([
      "deploy",
      "test-ruby3.2",
      "test-ruby3.3",
    ]);
    expect(changed(base, (await sign(root, { facts: { ...FACTS, package_manager: "npm" } })).signatures)).toEqual(BUILD);
    expect(changed(base, (await sign(root, { facts: { ...FACTS, python_version: "3.13" } })).signatures)).toEqual([]);
  });

  it("hashes the job definition, without its place in cig.toml", async () => {
    const root = project();
    const base = (await sign(root)).signatures;
    const edit = (id: string, patch: object) => JOBS.map((j) => (j.id === id ? { ...j, ...patch } : j));
    const steps = edit("test", { steps: [run("bundle exec rspec --fail-fast")] });
    expect(changed(base, (await sign(root, { jobs: steps })).signatures)).toEqual(["deploy", "test-ruby3.2", "test-ruby3.3"]);
    const moved = edit("lint", {
      loc: { path: "cig.toml", line: 40, column: 1 },
      steps: [{ ...run("lint"), loc: { path: "cig.toml", line: 41 } }],
    });
    expect((await sign(root, { jobs: moved })).signatures).toEqual(base);
    expect(changed(base, (await sign(root, { jobs: edit("docs", { env: { A: "1" } }) })).signatures)).toEqual(["docs"]);
  });

  it("changes every signature with the salt", async () => {
    const root = project();
    expect(changed((await sign(root)).signatures, (await sign(root, { salt: "2024-rotate" })).signatures)).toEqual(ALL);
  });

  it("gives identical signatures in two clones, and in a clone with the files listed in any order", async () => {
    const root = project();
    const clone = tempDir();
    git(clone, "clone", "-q", root, ".");
    const here = await sign(root);
    expect((await sign(clone)).signatures).toEqual(here.signatures);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(here.repo.files, { minLength: here.repo.files.length }), async (files) => {
        expect((await sign(root, { repo: { ...here.repo, files } })).signatures).toEqual(here.signatures);
      }),
      { numRuns: 40 },
    );
  });

  it("signs a clean committed tree the same without .git (filesystem fallback)", async () => {
    const root = project();
    writeFileSync(Buffer.concat([Buffer.from(`${root}/src/`), Buffer.from([0x78, 0xfe])]), "not utf-8\n");
    commitAll(root);
    const withGit = await sign(root);
    rmSync(join(root, ".git"), { recursive: true, force: true });
    const without = await sign(root);
    expect(without.repo.source).toBe("filesystem");
    expect(without.signatures).toEqual(withGit.signatures);
  });

  it("warns once per job and pattern for a glob matching nothing, and its first file changes the signature", async () => {
    const root = project();
    const spec = { skipIf: { pathsUnmodified: ["spec/**"] } };
    const jobs = [...JOBS.map((j) => (j.id === "test" ? { ...j, ...spec } : j)), { id: "e2e", ...spec }, { id: "smoke", ...spec }];
    const before = await sign(root, { jobs });
    const message = (job: string) => `job ${job}: "spec/**" matches no file; it still counts (by its text) in the work signature`;
    expect(before.diagnostics.map((d) => [d.code, d.message, d.resourceId])).toEqual([
      ["CIG_SIG_EMPTY_GLOB", message("e2e"), "job:e2e"],
      ["CIG_SIG_EMPTY_GLOB", message("smoke"), "job:smoke"],
      ["CIG_SIG_EMPTY_GLOB", message("test"), "job:test-ruby3.2"],
    ]);
    writeFiles(root, { "spec/first_spec.rb": "x\n" });
    const after = await sign(root, { jobs });
    expect(after.diagnostics).toEqual([]);
    expect(changed(before.signatures, after.signatures)).toEqual(["audit", "deploy", "e2e", "smoke", "test-ruby3.2", "test-ruby3.3"]);
  });

  it("matches globs relative to the directory of cig.toml", async () => {
    const root = gitRepo({ "src/a.ts": "root\n", "app/src/a.ts": "app\n" });
    const jobs = [{ id: "build", skipIf: { pathsUnmodified: ["src/**"] } }];
    const result = await sign(root, { jobs, configDir: join(root, "app") });
    expect(result.results[0]?.components.files.map((f) => f.path)).toEqual(["app/src/a.ts"]);
    expect((await sign(root, { jobs, configDir: "app" })).signatures).toEqual(result.signatures);
    await expect(sign(root, { jobs, configDir: tempDir() })).rejects.toMatchObject({ code: "CIG_SIG_CONFIG_OUTSIDE_REPO" });
  });
});
