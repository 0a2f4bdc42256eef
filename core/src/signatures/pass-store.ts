import type { PassManifest } from "./pass-manifest.js";
import { signatureError } from "./signature-error.js";

/**
 * Where passes are recorded. Implementations: the local directory store
 * ({@link createDirStore}); CI caches are restored into such a directory by
 * the generated pipelines before `cig compute-signatures` runs.
 */
export interface PassStore {
  /** Has a pass of `variant` with exactly this signature been recorded? */
  has(variant: string, signature: string): Promise<boolean>;
  /** The most recently recorded pass manifest of `variant`, if any (for reasons/explain). */
  last(variant: string): Promise<PassManifest | undefined>;
  /** Create-only: never overwrites an existing marker. */
  record(manifest: PassManifest): Promise<void>;
}

/** Prefix of every marker name. */
export const MARKER_PREFIX = "cig-pass-v1-";
const SIGNATURE = /^blake3:([0-9a-f]{64})$/u;

/**
 * The marker name of a pass: `cig-pass-v1-<variant>-<64 hex>`, the variant
 * id with every byte outside [A-Za-z0-9._-] percent-encoded (%XX of its
 * UTF-8 bytes), so names are safe as file names and cache keys everywhere.
 */
export function markerName(variant: string, signature: string): string {
  const hex = SIGNATURE.exec(signature)?.[1];
  if (hex === undefined) {
    throw signatureError(
      "CIG_SIG_BAD_SIGNATURE",
      `"${signature}" is not a work signature`,
      "A signature is `blake3:` followed by 64 lowercase hex digits, as `cig compute-signatures` prints it.",
    );
  }
  return `${markerPrefix(variant)}${hex}`;
}

/** `cig-pass-v1-<encoded variant>-`: every marker of `variant` is this plus 64 hex digits. */
export function markerPrefix(variant: string): string {
  const encoded = encodeURIComponent(variant).replace(/[!~*'()]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${MARKER_PREFIX}${encoded}-`;
}

/** True when `name` is a marker of the variant whose prefix is `prefix` (not of a variant whose id extends it). */
export function isMarkerOf(name: string, prefix: string): boolean {
  return name.length === prefix.length + 64 && name.startsWith(prefix) && /^[0-9a-f]{64}$/u.test(name.slice(prefix.length));
}
