import type { ErrorCode } from "./error-codes.js";

/** Where an error points: a file position, or a plugin and the hook it was in. */
export interface ErrorDetails {
  /** "cig.toml:12:5" style location, when there is a file position. */
  location?: string;
  /** Plugin name (or path before its name is known). */
  plugin?: string;
  /** The hook or phase: "start", "handshake", "info", "detect", ... */
  hook?: string;
  /** Process id of the plugin, for correlating with system tools. */
  pid?: number;
  exitCode?: number | null;
  signal?: string | null;
  /** Last lines the plugin wrote to stderr, oldest first. */
  stderrTail?: string[];
  /** A crash report (panic or uncaught exception block) captured from stderr. */
  crashReport?: string[];
}

/**
 * The one error type of cig. Every failure a user can see has a stable
 * `CIG_…` code, a message saying what happened, and a hint saying what to do;
 * the CLI reporter switches on the code and never prints a stack trace.
 */
export class CigError extends Error {
  override readonly name = "CigError";
  readonly code: ErrorCode;
  readonly hint: string;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, hint: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.hint = hint;
    this.details = details;
  }

  /** A plain-object form for `--json` output and logs. */
  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, hint: this.hint, ...this.details };
  }
}

/** True when `err` is a {@link CigError}, optionally with the given code. */
export function isCigError(err: unknown, code?: ErrorCode): err is CigError {
  return err instanceof CigError && (code === undefined || err.code === code);
}
