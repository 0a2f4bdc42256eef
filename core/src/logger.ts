/** Severity of a log entry; plugin JSON levels map onto these. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** One log entry, from the core or re-logged from a plugin's stderr. */
export interface LogEntry {
  level: LogLevel;
  /** "cig" for the core, the plugin's name for plugin lines. */
  source: string;
  msg: string;
  fields?: Record<string, unknown>;
}

/** Where log entries go; the CLI filters by verbosity and prints to stderr. */
export type LogSink = (entry: LogEntry) => void;

/** A sink that drops everything. */
export const silentSink: LogSink = () => {};

const LEVELS: Record<string, LogLevel> = {
  trace: "debug",
  debug: "debug",
  info: "info",
  notice: "info",
  warn: "warn",
  warning: "warn",
  error: "error",
  err: "error",
  fatal: "error",
  panic: "error",
  critical: "error",
};

/** Maps a plugin's level name (any case, hclog/pino/zap/python names) to ours. */
export function normaliseLevel(value: unknown): LogLevel | undefined {
  if (typeof value === "number") {
    // pino's numeric levels.
    return value >= 50 ? "error" : value >= 40 ? "warn" : value >= 30 ? "info" : "debug";
  }
  return typeof value === "string" ? LEVELS[value.toLowerCase()] : undefined;
}
