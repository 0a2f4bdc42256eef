import type { Readable } from "node:stream";
import { type LogSink, normaliseLevel } from "../logger.js";

const MAX_LINE = 8 * 1024;
const TAIL_LINES = 20;
const CRASH_LINES = 200;
// Starts of a crash report in the runtimes plugins are written in.
const CRASH_START = /^(panic: |fatal error: |Traceback \(most recent call last\):|thread '.*' panicked at|Uncaught |Exception in thread )/;

/**
 * Drains a plugin's stderr for its whole life (an undrained pipe would block
 * the plugin), re-logs each line under the plugin's name, and keeps the last
 * lines and any crash report for error messages.
 */
export class StderrCollector {
  private readonly tail: string[] = [];
  private crash: string[] = [];
  private inCrash = false;
  private partial = "";
  private ended: Promise<void>;

  constructor(
    stream: Readable,
    private source: string,
    private readonly sink: LogSink,
  ) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => this.push(chunk));
    this.ended = new Promise((resolve) => {
      stream.once("close", () => {
        this.flush();
        resolve();
      });
      stream.once("error", () => resolve());
    });
  }

  /** Renames the log source once the plugin's real name is known. */
  rename(source: string): void {
    this.source = source;
  }

  /** Resolves when the stream closed and every line was handled. */
  drained(): Promise<void> {
    return this.ended;
  }

  /** The last lines written, oldest first. */
  lastLines(): string[] {
    return [...this.tail];
  }

  /** The captured crash report (panic / traceback / uncaught exception), if any. */
  crashReport(): string[] {
    return [...this.crash];
  }

  private push(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split("\n");
    this.partial = lines.pop() ?? "";
    if (this.partial.length > MAX_LINE) {
      lines.push(this.partial);
      this.partial = "";
    }
    for (const line of lines) this.line(line);
  }

  private flush(): void {
    if (this.partial !== "") this.line(this.partial);
    this.partial = "";
  }

  private line(raw: string): void {
    const line = (raw.endsWith("\r") ? raw.slice(0, -1) : raw).slice(0, MAX_LINE);
    if (line.trim() === "") return;
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    // A crash report runs from a crash-start line over the plain lines after
    // it; a structured log line ends it (the plugin survived, e.g. a logged
    // traceback). The latest report wins.
    const structured = line.startsWith("{") && isJsonLog(line);
    if (CRASH_START.test(line)) {
      this.crash = [line];
      this.inCrash = true;
    } else if (this.inCrash && !structured && this.crash.length < CRASH_LINES) {
      this.crash.push(line);
    } else if (structured) {
      this.inCrash = false;
    }
    if (this.inCrash) {
      this.sink({ level: "error", source: this.source, msg: line });
      return;
    }
    this.sink(parseLogLine(line, this.source));
  }
}

function isJsonLog(line: string): boolean {
  try {
    const obj: unknown = JSON.parse(line);
    return typeof obj === "object" && obj !== null && !Array.isArray(obj);
  } catch {
    return false;
  }
}

/** A JSON log line ({"level","msg",...}) or plain text, as a log entry. */
export function parseLogLine(line: string, source: string): Parameters<LogSink>[0] {
  if (line.startsWith("{")) {
    try {
      const obj = JSON.parse(line) as Record<string, unknown>;
      const level = normaliseLevel(obj.level ?? obj["@level"] ?? obj.levelname ?? obj.severity);
      const msg = obj.msg ?? obj.message ?? obj["@message"];
      if (level && typeof msg === "string") {
        const fields: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(obj)) {
          if (!["level", "@level", "levelname", "severity", "msg", "message", "@message", "time", "@timestamp", "timestamp"].includes(k))
            fields[k] = v;
        }
        return Object.keys(fields).length > 0 ? { level, source, msg, fields } : { level, source, msg };
      }
    } catch {
      // Not JSON after all: fall through to plain text.
    }
  }
  return { level: "info", source, msg: line };
}
