import { resolve } from "node:path";
import { hashWorktreeEntry, type ObjectFormat, type WorktreeEntry } from "./git-blob-id.js";
import { repoStateOutputs } from "./git-prefetch.js";
import { parseLsFiles } from "./parse-ls-files.js";
import { parseStatus } from "./parse-status.js";
import { excludePrefixes, isExcluded, markSorted, RepoEntry, type RepoFile, type RepoState, sortFiles } from "./repo-state.js";
import type { GitOutput } from "./run-git.js";
import { signatureError } from "./signature-error.js";
import { walkFiles } from "./walk-files.js";

/** Options of {@link readRepoState}. */
export interface ReadRepoOptions {
  /**
   * Repo-relative directories whose files are never inputs. Default `[".cig"]`:
   * cig's own state (the local pass store) must not change the signatures it guards.
   */
  exclude?: readonly string[];
}

/**
 * Reads the files of the repository containing `cwd`, as the work signature
 * hashes them. In a git work tree: one `git ls-files -s` (paths, modes, blob
 * ids of the index) and one `git status --porcelain=v2 -uall` run in
 * parallel; only the files git reports as changed in the worktree, and
 * untracked ones, are read and hashed; deleted files are dropped, ignored
 * files never appear, submodules keep their gitlink. Outside a work tree
 * (or without git), every file under `cwd` is hashed and a notice says so.
 */
export async function readRepoState(cwd: string, opts: ReadRepoOptions = {}): Promise<RepoState> {
  const dir = resolve(cwd);
  const exclude = excludePrefixes(opts.exclude ?? [".cig"]);
  const [top, listed, status] = (await Promise.all(repoStateOutputs(dir))) as [GitOutput, GitOutput, GitOutput];
  if (top.missing || (top.code !== 0 && /not a git repository/iu.test(top.stderr))) {
    const why = top.missing ? "git is not installed" : "it is not inside a git work tree";
    const files = walkFiles(dir, exclude);
    const notice = `${dir}: ${why}, so every file under it was hashed (${files.length} files, none ignored): signatures match a git checkout's only when no file there is ignored or converted on checkout`;
    return { source: "filesystem", root: dir, files, notices: [notice] };
  }
  for (const out of [top, listed, status]) if (out.code !== 0) throw gitFailed(out, dir);
  const [root = dir, objectFormat] = top.stdout.toString("utf8").split("\n");
  const format: ObjectFormat = objectFormat === "sha256" ? "sha256" : "sha1";
  const rootBytes = Buffer.from(`${root}/`);
  const hash = (key: string) => hashWorktreeEntry(Buffer.concat([rootBytes, Buffer.from(key, "latin1")]), format);
  const changes = parseStatus(status.stdout);
  // Worktree changes by byte key; undefined = gone from the worktree.
  const changed = new Map<string, WorktreeEntry | undefined>();
  for (const key of changes.deleted) changed.set(key, undefined);
  for (const key of changes.dirty) changed.set(key, hash(key));

  const files: RepoFile[] = [];
  for (const f of parseLsFiles(listed.stdout)) {
    if (exclude.length > 0 && isExcluded(f.key, exclude)) continue;
    if (changed.size > 0 && f.mode !== "160000" && changed.has(f.key)) {
      const now = changed.get(f.key);
      if (now === undefined) continue;
      f.update(now.mode, now.oid);
    }
    files.push(f);
  }
  const untracked: RepoFile[] = [];
  for (const key of changes.untracked) {
    const now = isExcluded(key, exclude) ? undefined : hash(key);
    if (now) untracked.push(RepoEntry.of(Buffer.from(key, "latin1"), now.mode, now.oid));
  }
  // The index is in byte order already; untracked files are few: sort only when there are some.
  return { source: "git", root, files: untracked.length > 0 ? sortFiles([...files, ...untracked]) : markSorted(files), notices: [] };
}

function gitFailed(out: GitOutput, dir: string) {
  return signatureError(
    "CIG_SIG_GIT_FAILED",
    `git failed in ${dir} (exit ${out.code}): ${out.stderr || "no message"}`,
    "Run `git status` there to see the problem (e.g. dubious ownership: `git config --global --add safe.directory <dir>`).",
  );
}
