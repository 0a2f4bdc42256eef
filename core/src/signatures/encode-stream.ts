import type { SignatureStream } from "./signature-stream.js";

/** Stream format version, the first field of every stream. */
export const SIGNATURE_TAG = "cig-sig-v2";

/** Everything one signature hashes, already sorted (see docs/work-signatures.md). */
export interface StreamParts {
  salt: string;
  /** The files section: u32 count, then each file's `git ls-files -s -z` line (see filesSection). */
  files: Uint8Array;
  /** Patterns as written, sorted by UTF-8 bytes, unique. */
  patterns: readonly string[];
  /** Env names sorted by UTF-8 bytes with their values; undefined = unset. */
  env: ReadonlyArray<readonly [name: string, value: string | undefined]>;
  /** Upstream variant ids sorted by UTF-8 bytes with their signatures. */
  upstream: ReadonlyArray<readonly [id: string, signature: string]>;
  /** Tool names sorted by UTF-8 bytes with their versions. */
  tools: ReadonlyArray<readonly [name: string, version: string]>;
  /** Canonical JSON of the job definition. */
  definition: string;
}

/** Writes the canonical stream of `parts` into `stream` (reset first). */
export function encodeStream(stream: SignatureStream, parts: StreamParts): Buffer {
  stream.reset().field(SIGNATURE_TAG).field(parts.salt);
  stream.field("files").raw(parts.files);
  stream.field("patterns").u32(parts.patterns.length);
  for (const p of parts.patterns) stream.field(p);
  stream.field("env").u32(parts.env.length);
  for (const [name, value] of parts.env) {
    stream.field(name);
    if (value === undefined) stream.field("unset");
    else stream.field("set").field(value);
  }
  stream.field("upstream").u32(parts.upstream.length);
  for (const [id, signature] of parts.upstream) stream.field(id).field(signature);
  stream.field("tools").u32(parts.tools.length);
  for (const [name, version] of parts.tools) stream.field(name).field(version);
  stream.field("definition").field(parts.definition);
  return stream.bytes();
}
