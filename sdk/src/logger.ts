import { format } from "node:util";

/** Log levels understood by the core when it re-logs plugin stderr. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Structured logging to stderr, one JSON object per line. */
export interface PluginLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * A logger writing JSON lines to `write` (stderr by default). The core reads
 * `level` and `msg` and shows the rest as fields under the plugin's name.
 */
export function createLogger(
  minLevel: LogLevel = "info",
  write: (line: string) => void = (line) => process.stderr.write(line),
): PluginLogger {
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    write(`${JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields })}\n`);
  };
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
  };
}

/** Parses CIG_LOG_LEVEL; unknown values mean "info". */
export function logLevelFromEnv(value: string | undefined): LogLevel {
  return value === "debug" || value === "warn" || value === "error" ? value : "info";
}

/**
 * fd 1 is the gRPC connection: one stray byte breaks HTTP/2 framing. Point
 * `process.stdout` and every console method at stderr before serving, and do
 * it without ever touching the real stdout stream (creating it would wrap the
 * shared socket, and closing it at exit would half-close the connection).
 */
export function routeStdoutToStderr(): void {
  Object.defineProperty(process, "stdout", {
    configurable: true,
    enumerable: true,
    get: () => process.stderr,
  });
  const toStderr = (...args: unknown[]) => {
    process.stderr.write(`${format(...args)}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.dir = (obj: unknown) => toStderr(obj);
  console.table = toStderr;
}
