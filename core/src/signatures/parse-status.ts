/** What `git status --porcelain=v2 -z` says about the worktree, as byte keys (latin1 strings of the path bytes). */
export interface WorktreeChanges {
  /** Tracked paths whose worktree differs from the index (modified, type-changed, unmerged, intent-to-add). */
  dirty: string[];
  /** Tracked paths gone from the worktree. */
  deleted: string[];
  /** Untracked, not ignored files. */
  untracked: string[];
}

// Space-separated fields before the path of each record kind (porcelain v2).
const FIELDS_BEFORE_PATH: Record<string, number> = { "1": 8, "2": 9, u: 10 };

/**
 * Parses `git status --porcelain=v2 -z`. Only the worktree column (Y of XY)
 * matters: the index side is already what `git ls-files -s` reported. A
 * submodule's own changes are ignored — its gitlink in the index is its
 * identity. Rename records (absent with --no-renames) are skipped whole.
 */
export function parseStatus(out: Buffer): WorktreeChanges {
  const changes: WorktreeChanges = { dirty: [], deleted: [], untracked: [] };
  const records = out.toString("latin1").split("\0");
  for (let r = 0; r < records.length; r++) {
    const record = records[r] as string;
    const kind = record[0] ?? "";
    if (kind === "?") {
      // An untracked directory ("dir/") is a nested repository git does not descend into: not an input.
      if (!record.endsWith("/")) changes.untracked.push(record.slice(2));
      continue;
    }
    const fields = FIELDS_BEFORE_PATH[kind];
    if (fields === undefined) continue; // "#" headers, "!" ignored, the empty tail
    let at = 0;
    for (let i = 0; i < fields; i++) at = record.indexOf(" ", at) + 1;
    const path = record.slice(at);
    // A rename record carries its original path as the next NUL-terminated field.
    if (kind === "2") r++;
    if (record[5] === "S") continue; // a submodule ("S…" in the <sub> field)
    if (kind === "u") changes.dirty.push(path);
    else if (record[3] === "D") changes.deleted.push(path);
    else if (record[3] !== ".") changes.dirty.push(path);
  }
  return changes;
}
