import type { Runs } from "./glob-index.js";
import { fileKey, type RepoFile } from "./repo-state.js";

/**
 * Writes files sections (see {@link filesSection}) of a sorted file list.
 * A file's record is the line `git ls-files -s -z` prints for it, so for the
 * files of the index the records already sit back to back in git's output:
 * a job's section is its count and a copy of a few byte ranges of that
 * output. Only files read from the worktree (dirty, untracked) have their
 * record written out.
 */
export class FileRecords {
  constructor(private readonly files: readonly RepoFile[]) {}

  /** The files section of the files in `runs` (`count` of them): u32 count, then their records in order. */
  section(runs: Runs, count: number): Buffer {
    let size = 4;
    this.walk(
      runs,
      (_source, start, end) => {
        size += end - start;
      },
      (f) => {
        size += recordLength(f);
      },
    );
    const out = Buffer.allocUnsafe(size);
    let at = out.writeUInt32BE(count, 0);
    this.walk(
      runs,
      (source, start, end) => {
        at += source.copy(out, at, start, end);
      },
      (f) => {
        at = writeRecord(out, at, f);
      },
    );
    return out;
  }

  // Calls `copy` for each longest stretch of files whose git lines are adjacent in one output, `write` for the others.
  private walk(runs: Runs, copy: (source: Buffer, start: number, end: number) => void, write: (f: RepoFile) => void): void {
    for (let r = 0; r < runs.length; r += 2) {
      let source: Buffer | undefined;
      let start = 0;
      let end = 0;
      for (let i = runs[r] as number; i < (runs[r + 1] as number); i++) {
        const f = this.files[i] as RepoFile;
        const line = "line" in f ? (f.line as { source: Buffer; start: number; end: number } | undefined) : undefined;
        if (line && line.source === source && line.start === end) {
          end = line.end;
          continue;
        }
        if (source) copy(source, start, end);
        source = undefined;
        if (line) ({ source, start, end } = line);
        else write(f);
      }
      if (source) copy(source, start, end);
    }
  }
}

/**
 * The files section of a stream: u32 count, then per file (in the given
 * order, which must be path-byte order) its record, the line `git ls-files
 * -s -z` prints for it: `<mode> <oid> 0\t<path>\0`. No field needs a length:
 * modes and ids are fixed alphabets and a path holds no NUL.
 */
export function filesSection(files: readonly RepoFile[]): Buffer {
  let size = 4;
  for (const f of files) size += recordLength(f);
  const out = Buffer.allocUnsafe(size);
  let at = out.writeUInt32BE(files.length, 0);
  for (const f of files) at = writeRecord(out, at, f);
  return out;
}

// "<mode> <oid> 0\t" + path + "\0": mode, ids and byte keys are one byte per char (latin1).
function recordLength(f: RepoFile): number {
  return f.mode.length + f.oid.length + fileKey(f).length + 5;
}

function writeRecord(out: Buffer, at: number, f: RepoFile): number {
  return at + out.write(`${f.mode} ${f.oid} 0\t${fileKey(f)}\0`, at, "latin1");
}
