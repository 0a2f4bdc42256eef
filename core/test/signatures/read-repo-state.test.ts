import { chmodSync, mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gitBlobId, type RepoState, readRepoState } from "../../src/signatures/index.js";
import { commitAll, git, gitRepo, tempDir, writeFiles } from "./git-repo.js";

const entry = (state: RepoState, path: string) => state.files.find((f) => f.path === path);
const paths = (state: RepoState) => state.files.map((f) => f.path);

describe("readRepoState (git)", () => {
  it("lists the index with blob ids, sorted by UTF-8 bytes, paths relative to the root even from a subdirectory", async () => {
    const root = gitRepo({ "b.txt": "b\n", "a/x.ts": "x\n", "a-b": "-\n", "\u{e000}.txt": "pua\n", "\u{1f600}.txt": "astral\n" });
    const state = await readRepoState(join(root, "a"));
    expect(state.source).toBe("git");
    expect(state.notices).toEqual([]);
    // Bytes: "a-b" (0x2d) < "a/x.ts" (0x2f); U+E000 (EE 80 80) < U+1F600 (F0 …), unlike UTF-16 order.
    expect(paths(state)).toEqual(["a-b", "a/x.ts", "b.txt", "\u{e000}.txt", "\u{1f600}.txt"]);
    expect(entry(state, "b.txt")).toMatchObject({ mode: "100644", oid: git(root, "rev-parse", "HEAD:b.txt").trim() });
    expect(entry(state, "a/x.ts")?.pathBytes).toEqual(Buffer.from("a/x.ts"));
  });

  it("hashes dirty and untracked files like git hash-object, drops deleted and ignored files", async () => {
    const root = gitRepo({ "keep.txt": "keep\n", "edit.txt": "old\n", "gone.txt": "gone\n", ".gitignore": "*.log\nbuild/\n" });
    writeFiles(root, {
      "edit.txt": "new\n",
      "new dir/untracked file.txt": "fresh\n",
      "debug.log": "ignored\n",
      "build/out.js": "ignored\n",
    });
    unlinkSync(join(root, "gone.txt"));
    const state = await readRepoState(root);
    expect(paths(state)).toEqual([".gitignore", "edit.txt", "keep.txt", "new dir/untracked file.txt"]);
    for (const path of ["edit.txt", "new dir/untracked file.txt"]) {
      expect(entry(state, path)?.oid).toBe(git(root, "hash-object", path).trim());
    }
    expect(entry(state, "keep.txt")?.oid).toBe(git(root, "hash-object", "keep.txt").trim());
  });

  it("hashes a dirty CRLF file as its worktree bytes (git hash-object --no-filters), and a rename moves the entry", async () => {
    const root = gitRepo({ "win.txt": "a\nb\n", "old name.txt": "same\n" });
    writeFileSync(join(root, "win.txt"), "a\r\nb\r\n");
    renameSync(join(root, "old name.txt"), join(root, "new name.txt"));
    const state = await readRepoState(root);
    const oid = git(root, "hash-object", "--no-filters", "win.txt").trim();
    expect(entry(state, "win.txt")?.oid).toBe(oid);
    expect(oid).toBe(gitBlobId(Buffer.from("a\r\nb\r\n")));
    expect(paths(state)).toEqual(["new name.txt", "win.txt"]);
    expect(entry(state, "new name.txt")?.oid).toBe(git(root, "rev-parse", "HEAD:old name.txt").trim());
  });

  it("takes the exec bit and symlink targets from the worktree, never following links", async () => {
    const root = gitRepo({ "run.sh": "echo hi\n", "target-a": "A\n", "target-b": "B\n" });
    symlinkSync("target-a", join(root, "link"));
    commitAll(root);
    expect(entry(await readRepoState(root), "link")).toMatchObject({ mode: "120000", oid: gitBlobId(Buffer.from("target-a")) });
    chmodSync(join(root, "run.sh"), 0o755);
    unlinkSync(join(root, "link"));
    symlinkSync("target-b", join(root, "link"));
    const state = await readRepoState(root);
    expect(entry(state, "run.sh")).toMatchObject({ mode: "100755", oid: git(root, "hash-object", "run.sh").trim() });
    expect(entry(state, "link")).toMatchObject({ mode: "120000", oid: gitBlobId(Buffer.from("target-b")) });
    git(root, "add", "-A");
    expect(git(root, "ls-files", "-s", "run.sh", "link")).toBe(
      `120000 ${gitBlobId(Buffer.from("target-b"))} 0\tlink\n100755 ${entry(state, "run.sh")?.oid} 0\trun.sh\n`,
    );
  });

  it("keeps NFC and NFD spellings of a name as two paths, byte for byte", async () => {
    const nfc = "caf\u00e9.txt";
    const nfd = "cafe\u0301.txt";
    const root = gitRepo({ [nfc]: "nfc\n", [nfd]: "nfd\n" });
    const state = await readRepoState(root);
    expect(state.files.map((f) => f.pathBytes.toString("hex"))).toEqual([
      Buffer.from(nfd).toString("hex"),
      Buffer.from(nfc).toString("hex"),
    ]);
    expect(entry(state, nfc)?.oid).not.toBe(entry(state, nfd)?.oid);
  });

  it("keeps a name that is not UTF-8 as its bytes, from git and from the filesystem alike", async () => {
    const root = gitRepo({ "ok.txt": "ok\n" });
    const name = Buffer.from([0x62, 0xff, 0x2e, 0x74]); // "b\xff.t"
    writeFileSync(Buffer.concat([Buffer.from(`${root}/`), name]), "latin\n");
    const untracked = await readRepoState(root);
    commitAll(root);
    const committed = await readRepoState(root);
    rmSync(join(root, ".git"), { recursive: true, force: true });
    const walked = await readRepoState(root);
    for (const state of [untracked, committed, walked]) {
      expect(state.files.map((f) => f.pathBytes)).toEqual([name, Buffer.from("ok.txt")]);
      expect(state.files[0]?.oid).toBe(gitBlobId(Buffer.from("latin\n")));
    }
  });

  it("records a submodule as its gitlink commit and never looks inside", async () => {
    const sub = gitRepo({ "lib.txt": "lib\n" });
    const root = gitRepo({ "main.txt": "main\n" });
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "vendor/lib");
    commitAll(root, "add submodule");
    const commit = git(sub, "rev-parse", "HEAD").trim();
    writeFiles(join(root, "vendor/lib"), { "lib.txt": "changed inside\n", "extra.txt": "untracked inside\n" });
    const state = await readRepoState(root);
    expect(entry(state, "vendor/lib")).toMatchObject({ mode: "160000", oid: commit });
    expect(paths(state).filter((p) => p.startsWith("vendor/lib/"))).toEqual([]);
  });

  it("hashes the worktree file of an unmerged path and leaves out .cig/", async () => {
    const root = gitRepo({ "f.txt": "base\n" });
    git(root, "checkout", "-q", "-b", "other");
    writeFiles(root, { "f.txt": "other\n" });
    commitAll(root);
    git(root, "checkout", "-q", "main");
    writeFiles(root, { "f.txt": "main\n" });
    commitAll(root);
    try {
      git(root, "merge", "-q", "other");
    } catch {
      // The conflict is the point.
    }
    writeFiles(root, { ".cig/passes/cig-pass-v1-x-00": "{}" });
    const state = await readRepoState(root);
    expect(paths(state)).toEqual(["f.txt"]);
    expect(entry(state, "f.txt")?.oid).toBe(git(root, "hash-object", "f.txt").trim());
  });

  it("falls back to hashing every file outside git, with a notice, equal to git's view of a clean tree", async () => {
    const files = { "a.txt": "a\n", "dir/b b.txt": "b\n", "caf\u00e9": "c\n", ".hidden/x": "x\n" };
    const repo = gitRepo(files);
    symlinkSync("a.txt", join(repo, "ln"));
    chmodSync(join(repo, "a.txt"), 0o755);
    commitAll(repo);
    const plain = tempDir();
    writeFiles(plain, files);
    symlinkSync("a.txt", join(plain, "ln"));
    chmodSync(join(plain, "a.txt"), 0o755);
    mkdirSync(join(plain, "empty-dir"));
    mkdirSync(join(plain, "nested/.git"), { recursive: true });
    writeFileSync(join(plain, "nested/.git/HEAD"), "not an input\n");
    const fromGit = await readRepoState(repo);
    const fromFs = await readRepoState(plain);
    expect(fromFs.source).toBe("filesystem");
    expect(fromFs.notices).toHaveLength(1);
    expect(fromFs.notices[0]).toMatch(/not inside a git work tree/u);
    const strip = (s: RepoState) => s.files.map(({ path, mode, oid }) => ({ path, mode, oid }));
    expect(strip(fromFs)).toEqual(strip(fromGit));
    rmSync(join(repo, ".git"), { recursive: true, force: true });
    expect(strip(await readRepoState(repo))).toEqual(strip(fromGit));
  });
});
