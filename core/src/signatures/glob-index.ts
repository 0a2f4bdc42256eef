import picomatch from "picomatch";
import { fileKey, type RepoFile } from "./repo-state.js";

/** The glob dialect of work signatures: picomatch, dotfiles matched like any other name. */
export const GLOB_OPTIONS = { dot: true } as const;

/**
 * Indexes into a file list as sorted, disjoint, non-adjacent half-open
 * ranges, flattened: `[start0, end0, start1, end1, …]`. A glob with a static
 * prefix selects one range of a byte-sorted list, so a job's files are a few
 * ranges, not thousands of indexes.
 */
export type Runs = readonly number[];

/**
 * Matches globs against a byte-sorted file list without testing every file:
 * each glob's static prefix (`picomatch.scan(glob).base`, e.g. "src/app" of
 * "src/app/**\/*.ts") bounds a range of the sorted list, found by binary
 * search, and only paths in that range are tested ("base/**" takes the range
 * whole). Byte order keeps every path with a given byte prefix contiguous.
 * Results are cached per glob, so matrix variants sharing patterns match once.
 */
export class GlobIndex {
  private readonly cache = new Map<string, Runs>();
  /** Byte keys of {@link files} (see RepoEntry): `<` on them is byte order, startsWith a byte prefix. */
  private readonly keys: readonly string[];

  /** `files` must be sorted by path bytes. */
  constructor(readonly files: readonly RepoFile[]) {
    this.keys = files.map(fileKey);
  }

  /** The files `glob` (repo-relative) matches, as runs of indexes into {@link files}. */
  match(glob: string): Runs {
    const cached = this.cache.get(glob);
    if (cached) return cached;
    const runs = new RunBuilder();
    const scan = picomatch.scan(glob);
    // An escaped character in the base would need unescaping to compare bytes: test the whole list then.
    // So does a pattern scan() calls static although it has glob syntax makeRe honours ("{a}/**", "docs/[wip/**").
    const hidden = !scan.isGlob && /[*?[{(!]/u.test(glob);
    const base = scan.base.includes("\\") || hidden ? "" : Buffer.from(scan.base).toString("latin1");
    // The regex itself, not picomatch(glob): its matcher allocates two result objects per test.
    // A path equal to the glob text matches, as picomatch's own test has it.
    const re = picomatch.makeRe(glob, GLOB_OPTIONS);
    const test = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const path = (this.files[i] as RepoFile).path;
        if (path === glob || re.test(path)) runs.add(i);
      }
    };
    if (scan.isGlob && base !== "") {
      // The glob part follows a "/": only paths under "base/" can match, and "base" itself ("src/**" matches "src").
      const at = this.lowerBound(base);
      if (this.keys[at] === base) test(at, at + 1);
      const [from, to] = this.range(`${base}/`);
      // "base/**" (the usual form) matches everything under base/ (git paths have no "." or ".." segments).
      if (scan.glob === "**") runs.addRange(from, to);
      else test(from, to);
    } else test(...this.range(base));
    const out = runs.done();
    this.cache.set(glob, out);
    return out;
  }

  /**
   * The files matching any of `include` and none of `exclude`, in path order,
   * with their number; and the include globs that matched nothing.
   */
  select(include: readonly string[], exclude: readonly string[]): { runs: Runs; count: number; empty: string[] } {
    const empty: string[] = [];
    const lists = include.map((g) => {
      const list = this.match(g);
      if (list.length === 0) empty.push(g);
      return list;
    });
    let runs = lists.length === 1 ? (lists[0] as Runs) : unionRuns(lists);
    if (exclude.length > 0) runs = subtractRuns(runs, unionRuns(exclude.map((g) => this.match(g))));
    return { runs, count: runCount(runs), empty };
  }

  /** The indexes `[from, to)` of every path whose byte key starts with `prefix`. */
  private range(prefix: string): [number, number] {
    const keys = this.keys;
    const from = this.lowerBound(prefix);
    let to = from;
    // Past the last key with the prefix: a binary search when the prefix is not empty.
    if (prefix === "") to = keys.length;
    else {
      let hi = keys.length;
      while (to < hi) {
        const mid = (to + hi) >>> 1;
        if ((keys[mid] as string).startsWith(prefix)) to = mid + 1;
        else hi = mid;
      }
    }
    return [from, to];
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

/** How many indexes `runs` holds. */
export function runCount(runs: Runs): number {
  let n = 0;
  for (let r = 0; r < runs.length; r += 2) n += (runs[r + 1] as number) - (runs[r] as number);
  return n;
}

/** The indexes `runs` holds, ascending. */
export function runIndexes(runs: Runs): number[] {
  const out: number[] = [];
  for (let r = 0; r < runs.length; r += 2) for (let i = runs[r] as number; i < (runs[r + 1] as number); i++) out.push(i);
  return out;
}

// Collects ascending indexes and ranges into runs, joining neighbours.
class RunBuilder {
  private readonly runs: number[] = [];

  add(i: number): void {
    this.addRange(i, i + 1);
  }

  addRange(from: number, to: number): void {
    if (to <= from) return;
    const n = this.runs.length;
    if (n > 0 && (this.runs[n - 1] as number) >= from) this.runs[n - 1] = Math.max(this.runs[n - 1] as number, to);
    else this.runs.push(from, to);
  }

  done(): Runs {
    return this.runs;
  }
}

function unionRuns(lists: readonly Runs[]): Runs {
  const pairs: Array<[number, number]> = [];
  for (const runs of lists) for (let r = 0; r < runs.length; r += 2) pairs.push([runs[r] as number, runs[r + 1] as number]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out = new RunBuilder();
  for (const [from, to] of pairs) out.addRange(from, to);
  return out.done();
}

function subtractRuns(runs: Runs, minus: Runs): Runs {
  const out = new RunBuilder();
  let m = 0;
  for (let r = 0; r < runs.length; r += 2) {
    let from = runs[r] as number;
    const to = runs[r + 1] as number;
    while (m < minus.length && (minus[m + 1] as number) <= from) m += 2;
    for (let k = m; k < minus.length && (minus[k] as number) < to; k += 2) {
      out.addRange(from, Math.min(minus[k] as number, to));
      from = Math.max(from, minus[k + 1] as number);
    }
    out.addRange(from, to);
  }
  return out.done();
}
