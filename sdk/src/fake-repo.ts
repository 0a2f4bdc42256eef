import { create } from "@bufbuild/protobuf";
import { type RepoSnapshot, RepoSnapshotSchema } from "@cig/proto";

/**
 * A RepoSnapshot for detect tests: path → file text or raw bytes (inlined as
 * the core would), or `null` for a file listed without content (too large to
 * inline, or only its existence matters).
 */
export function fakeRepo(files: Record<string, string | Uint8Array | null>, root = "/repo"): RepoSnapshot {
  const enc = new TextEncoder();
  return create(RepoSnapshotSchema, {
    root,
    files: Object.entries(files).map(([path, text]) => {
      const content = text === null ? undefined : typeof text === "string" ? enc.encode(text) : text;
      return { path, size: BigInt(content?.length ?? 0), mode: 0o100644, ...(content ? { content } : {}) };
    }),
  });
}
