import { resolve } from "node:path";
import type { LogEntry, LogSink } from "../logger.js";
import type { HostOptions } from "../plugin-host/plugin-host.js";
import { paint, type Terminal } from "./terminal.js";

/** Global CLI options, after parsing. */
export interface GlobalOptions {
  cwd?: string;
  verbose?: boolean;
  quiet?: boolean;
  json?: boolean;
  pluginStartTimeout?: string;
  pluginTimeout?: string;
}

/** What every command needs: where it runs, how it prints, how it starts plugins. */
export interface CliContext {
  cwd: string;
  term: Terminal;
  json: boolean;
  quiet: boolean;
  hostOptions: HostOptions;
}

const RANK = { debug: 0, info: 1, warn: 2, error: 3 } as const;

/** Builds the context from global options. */
export function cliContext(opts: GlobalOptions, term: Terminal): CliContext {
  const min = opts.verbose ? "debug" : opts.quiet ? "error" : "warn";
  const sink: LogSink = (e: LogEntry) => {
    if (RANK[e.level] < RANK[min]) return;
    const fields = e.fields
      ? ` ${Object.entries(e.fields)
          .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
          .join(" ")}`
      : "";
    const level = e.level === "error" ? paint(term, "red", e.level) : e.level === "warn" ? paint(term, "yellow", e.level) : e.level;
    term.err(`${paint(term, "dim", `[${e.source}]`)} ${level}: ${e.msg}${fields}\n`);
  };
  const hostOptions: HostOptions = { sink, logLevel: opts.verbose ? "debug" : "info" };
  const start = positiveInt(opts.pluginStartTimeout, "--plugin-start-timeout");
  if (start !== undefined) hostOptions.startTimeoutMs = start;
  const hook = positiveInt(opts.pluginTimeout, "--plugin-timeout");
  if (hook !== undefined) {
    hostOptions.timeouts = { info: hook, detect: hook, plan: hook, generate: hook, validate: hook, preflight: hook };
  }
  return {
    cwd: resolve(opts.cwd ?? process.env.CIG_CWD ?? process.cwd()),
    term,
    json: opts.json === true,
    quiet: opts.quiet === true,
    hostOptions,
  };
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${flag} must be a positive number of milliseconds, got ${JSON.stringify(value)}`);
  return n;
}

/** A command-line mistake; reported as CIG_USAGE with exit code 2. */
export class UsageError extends Error {}
