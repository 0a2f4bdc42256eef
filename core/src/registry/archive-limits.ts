/** Limits every archive reader enforces (docs/registry.md#archives). */
export const ARCHIVE_LIMITS = {
  /** The .tar.gz itself. */
  compressedBytes: 64 * 1024 * 1024,
  /** The tar stream once gunzipped. */
  uncompressedBytes: 256 * 1024 * 1024,
  entries: 10_000,
} as const;
