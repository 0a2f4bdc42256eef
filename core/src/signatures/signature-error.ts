import { CigError } from "../errors/cig-error.js";
import type { ErrorCode } from "../errors/error-codes.js";

/**
 * The error codes of the work-signature engine. Each is listed in
 * core/src/errors/error-codes.ts (exit code) and docs/errors.md.
 */
export const SIGNATURE_ERROR_CODES = [
  // git is installed and this is a work tree, but a git command failed.
  "CIG_SIG_GIT_FAILED",
  // A file could not be read while hashing it.
  "CIG_SIG_READ_FAILED",
  // The BLAKE3 module could not be loaded.
  "CIG_SIG_HASH_UNAVAILABLE",
  // The cig.toml directory is not inside the repository whose files are hashed.
  "CIG_SIG_CONFIG_OUTSIDE_REPO",
  // A variant needs a variant that is not in the set being signed, or needs form a cycle.
  "CIG_SIG_BAD_GRAPH",
  // A signature string is not "blake3:<64 hex>".
  "CIG_SIG_BAD_SIGNATURE",
  // The pass store could not be read or written.
  "CIG_SIG_STORE_FAILED",
] as const;

/** One of {@link SIGNATURE_ERROR_CODES}. */
export type SignatureErrorCode = (typeof SIGNATURE_ERROR_CODES)[number] & ErrorCode;

/** The warning code for a glob that matches no file (a Diagnostic, not an error). */
export const EMPTY_GLOB = "CIG_SIG_EMPTY_GLOB";

/** A {@link CigError} with a work-signature code. */
export function signatureError(code: SignatureErrorCode, message: string, hint: string, cause?: unknown): CigError {
  return new CigError(code, message, hint, {}, cause === undefined ? undefined : { cause });
}
