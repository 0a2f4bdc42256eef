import { execFileSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileRecords, filesSection, RepoEntry, readRepoState } from "../../src/signatures/index.js";
import { git, gitRepo } from "./git-repo.js";

describe("FileRecords on a real repository", () => {
  it("copies git's own lines for index files and writes the rest: the same bytes filesSection writes", async () => {
    const root = gitRepo({ "a.txt": "a\n", "b/c.txt": "c\n", "b/d.sh": "#!/bin/sh\n", "é/f.txt": "f\n", "z.txt": "z\n" });
    writeFileSync(join(root, "b/c.txt"), "changed\n"); // dirty
    chmodSync(join(root, "b/d.sh"), 0o755); // mode change
    writeFileSync(join(root, "b/new.txt"), "new\n"); // untracked
    const repo = await readRepoState(root);
    const files = repo.files;
    expect(files.map((f) => f.path)).toEqual(["a.txt", "b/c.txt", "b/d.sh", "b/new.txt", "z.txt", "é/f.txt"]);
    // Clean index files carry their git line; files read from the worktree do not.
    const lines = files.map((f) => (f instanceof RepoEntry && f.line ? "git" : "worktree"));
    expect(lines).toEqual(["git", "worktree", "worktree", "worktree", "git", "git"]);
    const records = new FileRecords(files);
    expect(records.section([0, files.length], files.length).equals(filesSection(files))).toBe(true);
    expect(records.section([0, 1, 4, 6], 3).equals(filesSection([files[0], files[4], files[5]].flatMap((f) => (f ? [f] : []))))).toBe(true);
    // A record is exactly the line `git ls-files -s -z` prints for a clean file.
    const listed = execFileSync("git", ["ls-files", "-s", "-z", "--", "a.txt"], { cwd: root });
    expect(records.section([0, 1], 1).subarray(4).equals(listed)).toBe(true);
    expect(git(root, "status", "--porcelain")).toContain("b/new.txt");
  });
});
