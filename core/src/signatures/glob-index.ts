import picomatch from "picomatch";
import { fileKey, type RepoFile } from "./repo-state.js";

/** The glob dialect of work signatures: picomatch, dotfiles matched like any other name. */
export const GLOB_OPTIONS = { dot: true } as const;

/**
 * Matches globs against a byte-sorted file list without testing every file:
 * each glob's static prefix (`picomatch.scan(glob).base`, e.g. "src/app" of
 * "src/app/**\/*.ts") bounds a range of the sorted list, found by binary
 * search, and only paths in that range are tested. Byte order keeps every
 * path with a given byte prefix contiguous. Results are cached per glob, so
 * matrix variants sharing patterns match once.
 */
export class GlobIndex {
  private readonly cache = new Map<string, number[]>();
  /** Byte keys of {@link files} (see RepoEntry): `<` on them is byte order, startsWith a byte prefix. */
  private readonly keys: readonly string[];

  /** `files` must be sorted by path bytes. */
  constructor(readonly files: readonly RepoFile[]) {
    this.keys = files.map(fileKey);
  }

  /** Ascending indexes into {@link files} of the paths `glob` (repo-relative) matches. */
  match(glob: string): number[] {
    const cached = this.cache.get(glob);
    if (cached) return cached;
    const hit: number[] = [];
    const scan = picomatch.scan(glob);
    // An escaped character in the base would need unescaping to compare bytes: test the whole list then.
    // So does a pattern scan() calls static although it has glob syntax makeRe honours ("{a}/**", "docs/[wip/**").
    const hidden = !scan.isGlob && /[*?[{(!]/u.test(glob);
    const base = scan.base.includes("\\") || hidden ? "" : Buffer.from(scan.base).toString("latin1");
    // The regex itself, not picomatch(glob): its matcher allocates two result objects per test.
    // A path equal to the glob text matches, as picomatch's own test has it.
    const re = picomatch.makeRe(glob, GLOB_OPTIONS);
    const test = (i: number) => {
      const path = (this.files[i] as RepoFile).path;
      if (path === glob || re.test(path)) hit.push(i);
    };
    if (scan.isGlob && base !== "") {
      // The glob part follows a "/": only paths under "base/" can match, and "base" itself ("src/**" matches "src").
      const at = this.lowerBound(base);
      if (this.keys[at] === base) test(at);
      // "base/**" (the usual form) matches everything under base/ (git paths have no "." or ".." segments).
      this.scan(`${base}/`, scan.glob === "**" ? (i) => hit.push(i) : test);
    } else this.scan(base, test);
    this.cache.set(glob, hit);
    return hit;
  }

  /**
   * The files matching any of `include` and none of `exclude`, in path order.
   * Returns the indexes and, per include glob, whether it matched nothing.
   */
  select(include: readonly string[], exclude: readonly string[]): { indexes: number[]; empty: string[] } {
    const empty: string[] = [];
    const lists = include.map((g) => {
      const list = this.match(g);
      if (list.length === 0) empty.push(g);
      return list;
    });
    let indexes = lists.length === 1 ? (lists[0] as number[]) : mergeUnique(lists);
    if (exclude.length > 0) {
      const out = new Set(exclude.flatMap((g) => this.match(g)));
      indexes = indexes.filter((i) => !out.has(i));
    }
    return { indexes, empty };
  }

  /** Calls `visit` with the index of every path whose byte key starts with `prefix`, in order. */
  private scan(prefix: string, visit: (i: number) => void): void {
    const keys = this.keys;
    for (let i = this.lowerBound(prefix); i < keys.length && (keys[i] as string).startsWith(prefix); i++) visit(i);
  }

  /** The first index whose byte key is ≥ `prefix`. */
  private lowerBound(prefix: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.keys[mid] as string) < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function mergeUnique(lists: readonly number[][]): number[] {
  const all = Int32Array.from(lists.flat()).sort();
  const out: number[] = [];
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) out.push(all[i] as number);
  return out;
}
