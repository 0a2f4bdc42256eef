import type { FileRecords } from "./file-records.js";
import { type GlobIndex, runIndexes } from "./glob-index.js";
import { fileKey, isMarkedSorted, type RepoFile, sortFiles } from "./repo-state.js";

/** The files one pattern set selects, their encoded files section, and the patterns that matched nothing. */
export interface FileSet {
  /** The files, in path order (built on first read: explain and pass manifests read them, signing does not). */
  readonly files: readonly RepoFile[];
  section: Buffer;
  /** Include patterns (as written) that match no file. */
  empty: string[];
}

/**
 * The files of one pattern set (every file when there are none); `globs` are
 * `written` relative to the repository root. `records` are the files
 * section records of `index.files`.
 */
export function selectFiles(index: GlobIndex, records: FileRecords, globs: readonly string[], written: readonly string[]): FileSet {
  const all = index.files;
  if (globs.length === 0) return { files: all, section: records.section([0, all.length], all.length), empty: [] };
  const include = globs.filter((g) => !g.startsWith("!"));
  // Only exclusions: every file except those.
  if (include.length === 0) include.push("**");
  const exclude = globs.filter((g) => g.startsWith("!")).map((g) => g.slice(1));
  const { runs, count, empty } = index.select(include, exclude);
  // "**" stands in for an all-exclusions set: not a pattern the user wrote.
  const unmatched = empty.flatMap((g) => (globs.includes(g) ? [written[globs.indexOf(g)] ?? g] : []));
  let files: RepoFile[] | undefined;
  return {
    get files() {
      files ??= runIndexes(runs).map((i) => all[i] as RepoFile);
      return files;
    },
    section: records.section(runs, count),
    empty: unmatched,
  };
}

/** `files` in path-byte order: as given when already sorted (readRepoState's contract), else a sorted copy. */
export function sortedFiles(files: readonly RepoFile[]): readonly RepoFile[] {
  if (isMarkedSorted(files)) return files;
  let last = "";
  for (let i = 0; i < files.length; i++) {
    const key = fileKey(files[i] as RepoFile);
    if (i > 0 && key < last) return sortFiles(files);
    last = key;
  }
  return files;
}
