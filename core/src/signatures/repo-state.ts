/** One file of a {@link RepoState}: what the work signature hashes of it. */
export interface RepoFile {
  /** Repo-relative path with "/", decoded from {@link pathBytes} as UTF-8 (for matching and display). */
  readonly path: string;
  /** The path exactly as git (or the filesystem) gave it: hashed, compared and sorted as these bytes. */
  readonly pathBytes: Buffer;
  /** Git mode as an octal string: "100644", "100755", "120000" (symlink) or "160000" (submodule). */
  mode: string;
  /** Git object id (hex): the blob id, or for a submodule the commit its gitlink records. */
  oid: string;
}

/** The files of a repository as the work signature sees them. */
export interface RepoState {
  /** "git": the index plus the worktree changes git reports; "filesystem": every file under `root`, hashed. */
  source: "git" | "filesystem";
  /** Absolute path of the repository root (the work tree's top level, or the directory walked). */
  root: string;
  /** Every input file, sorted by path bytes (Buffer.compare), paths unique. */
  files: RepoFile[];
  /** Things the user should know about how the state was read (e.g. no git work tree). */
  notices: string[];
}

/**
 * A RepoFile that keeps its path bytes as a latin1 string (one char per
 * byte): comparing two such keys with `<` is comparing the bytes, a prefix
 * of the key is a byte prefix, and `Buffer.write(key, "latin1")` writes the
 * bytes back. 50,000 strings (for ASCII paths, the path itself) cost the
 * garbage collector far less than 50,000 Buffer views; {@link pathBytes}
 * is made on demand.
 */
export class RepoEntry implements RepoFile {
  /**
   * Where git's `ls-files -s -z` output holds this file's line (`<mode> <oid>
   * 0\t<path>\0`), which is its record in the files section as it stands:
   * signing copies runs of such lines instead of writing each file.
   * Undefined for a file read from the worktree (dirty, untracked, walked).
   */
  line: { source: Buffer; start: number; end: number } | undefined;

  constructor(
    readonly key: string,
    readonly path: string,
    public mode: string,
    public oid: string,
    line?: { source: Buffer; start: number; end: number },
  ) {
    this.line = line;
  }

  /** The file as the worktree has it now (a dirty file): git's index line no longer describes it. */
  update(mode: string, oid: string): void {
    this.mode = mode;
    this.oid = oid;
    this.line = undefined;
  }

  /** An entry for the path `bytes`. */
  static of(bytes: Buffer, mode: string, oid: string): RepoEntry {
    return new RepoEntry(bytes.toString("latin1"), bytes.toString("utf8"), mode, oid);
  }

  get pathBytes(): Buffer {
    return Buffer.from(this.key, "latin1");
  }
}

/** The byte key (latin1 string of the path bytes) of any RepoFile. */
export function fileKey(f: RepoFile): string {
  return f instanceof RepoEntry ? f.key : f.pathBytes.toString("latin1");
}

/** Compares byte keys (see {@link RepoEntry}): the order of the path bytes. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Arrays this module sorted (or read in byte order): signing skips re-checking 50,000 keys.
const SORTED = new WeakSet<readonly RepoFile[]>();

/** `files` sorted by path bytes: a new array. */
export function sortFiles(files: readonly RepoFile[]): RepoFile[] {
  const keyed = files.map((f) => ({ key: fileKey(f), f }));
  keyed.sort((a, b) => compareKeys(a.key, b.key));
  return markSorted(keyed.map((k) => k.f));
}

/** Records that `files` is in path-byte order (as git's index is); mutating it afterwards voids that. */
export function markSorted<T extends readonly RepoFile[]>(files: T): T {
  SORTED.add(files);
  return files;
}

/** True when `files` is known to be in path-byte order (see markSorted). */
export function isMarkedSorted(files: readonly RepoFile[]): boolean {
  return SORTED.has(files);
}

/** True when the byte key starts with one of `prefixes` (keys of "dir/"); pass a directory as "its/path/". */
export function isExcluded(key: string, prefixes: readonly string[]): boolean {
  for (const p of prefixes) if (key.startsWith(p)) return true;
  return false;
}

/** Byte-key prefixes ("dir/") of repo-relative directory names. */
export function excludePrefixes(dirs: readonly string[]): string[] {
  return dirs.map((d) => Buffer.from(`${d.replace(/\/+$/u, "")}/`).toString("latin1"));
}
