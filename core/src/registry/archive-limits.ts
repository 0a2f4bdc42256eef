/** Size limits of an archive, in bytes and entries. */
export interface ArchiveLimits {
  compressedBytes: number;
  uncompressedBytes: number;
  entries: number;
}

/** Limits every archive reader enforces (docs/registry.md#archives). */
export const ARCHIVE_LIMITS: Readonly<ArchiveLimits> = {
  /** The .tar.gz itself. */
  compressedBytes: 64 * 1024 * 1024,
  /** The tar stream once gunzipped. */
  uncompressedBytes: 256 * 1024 * 1024,
  entries: 10_000,
};
