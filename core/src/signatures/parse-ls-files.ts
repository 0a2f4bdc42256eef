import { RepoEntry } from "./repo-state.js";

const NON_ASCII = /[\u0080-\uffff]/u;
// Every mode git writes; reusing one string each spares 50,000 allocations.
const MODES = ["100644", "100755", "120000", "160000"];

/**
 * Parses `git ls-files -s -z`: records "<mode> <oid> <stage>\t<path>\0",
 * already in index order (path bytes, then stage). An unmerged path has one
 * record per stage; only its first is kept, since `git status` reports it
 * and its worktree file is hashed instead.
 *
 * The output is scanned as one latin1 string (one char per byte, so string
 * offsets are byte offsets and slices are byte keys): native string search
 * and slices instead of a Buffer call per field.
 */
export function parseLsFiles(out: Buffer): RepoEntry[] {
  const s = out.toString("latin1");
  // Where every byte is ASCII, the latin1 slice of a path is its UTF-8 decoding too.
  const ascii = !NON_ASCII.test(s);
  const files: RepoEntry[] = [];
  let last = "";
  let pos = 0;
  while (pos < s.length) {
    const tab = s.indexOf("\t", pos);
    if (tab < 0) break;
    let end = s.indexOf("\0", tab + 1);
    if (end < 0) end = s.length;
    const s1 = s.indexOf(" ", pos);
    const s2 = s.indexOf(" ", s1 + 1);
    const key = s.slice(tab + 1, end);
    const merged = s.charCodeAt(s2 + 1) === 0x30; // stage "0"
    const start = pos;
    pos = end + 1;
    if (!merged && key === last) continue;
    last = key;
    const path = ascii || !NON_ASCII.test(key) ? key : out.toString("utf8", tab + 1, end);
    const mode = MODES.find((m) => s.startsWith(m, start) && s1 - start === 6) ?? s.slice(start, s1);
    // A stage-0 line is the file's files-section record as it stands (see FileRecords).
    files.push(
      new RepoEntry(key, path, mode, s.slice(s1 + 1, s2), merged && end < s.length ? { source: out, start, end: pos } : undefined),
    );
  }
  return files;
}
