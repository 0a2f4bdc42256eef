import { createHash } from "node:crypto";

// Buildkite step keys match ^[a-zA-Z0-9_\-:${}.,]+$ and are at most 100
// characters. `$`, `{` and `}` are allowed by the schema but would be
// interpolated at upload, so the safe alphabet is letters, digits, `_ - . : ,`.
// cig variant ids are already letters, digits, `_ - .` unless a matrix value
// brings something else; every other byte is written `:xx` (lowercase hex of
// its UTF-8 bytes) — and `:` and `,` themselves too, so decoding is exact.
const KEEP = /[A-Za-z0-9_.-]/;

/** Buildkite's limit on a step key's length. */
export const MAX_KEY_LENGTH = 100;

/** The Buildkite step key of a variant id: reversible by {@link variantIdOfKey}, unless longer than 100 characters. */
export function stepKey(variantId: string): { key: string; truncated: boolean } {
  let key = "";
  for (const ch of variantId) {
    if (KEEP.test(ch)) key += ch;
    else for (const byte of Buffer.from(ch, "utf8")) key += `:${byte.toString(16).padStart(2, "0")}`;
  }
  if (key.length <= MAX_KEY_LENGTH) return { key, truncated: false };
  // Too long for Buildkite: a prefix plus a hash keeps it unique and stable, but not reversible.
  const hash = createHash("sha256").update(variantId).digest("hex").slice(0, 12);
  return { key: `${key.slice(0, MAX_KEY_LENGTH - 13)}-${hash}`, truncated: true };
}

/** The variant id a (non-truncated) step key was made from. */
export function variantIdOfKey(key: string): string {
  return key.replace(/(?::[0-9a-f]{2})+/g, (run) =>
    Buffer.from(
      run
        .split(":")
        .slice(1)
        .map((h) => Number.parseInt(h, 16)),
    ).toString("utf8"),
  );
}
