import type { CigError } from "../errors/cig-error.js";
import { paint, type Terminal } from "./terminal.js";

/**
 * Formats a CigError for people: code and message, where it happened, the
 * plugin's last words, and the hint. Never a stack trace.
 */
export function formatError(term: Terminal, err: CigError): string {
  const lines = [`${paint(term, "red", `error[${err.code}]`)}: ${err.message}`];
  const d = err.details;
  if (d.location) lines.push(`  --> ${d.location}`);
  const where = [
    d.plugin ? `plugin ${d.plugin}` : "",
    d.pid ? `pid ${d.pid}` : "",
    d.hook ? `hook ${d.hook}` : "",
    d.signal ? `signal ${d.signal}` : d.exitCode !== undefined && d.exitCode !== null ? `exit code ${d.exitCode}` : "",
  ].filter(Boolean);
  if (where.length > 0) lines.push(paint(term, "dim", `  ${where.join(", ")}`));
  const crash = d.crashReport ?? [];
  const tail = crash.length > 0 ? crash.slice(0, 30) : (d.stderrTail ?? []).slice(-10);
  if (tail.length > 0) {
    lines.push(`  ${crash.length > 0 ? "crash report" : "last stderr lines"}:`);
    for (const l of tail) lines.push(paint(term, "dim", `    | ${l}`));
  }
  lines.push(`  ${paint(term, "cyan", "hint")}: ${err.hint}`);
  return `${lines.join("\n")}\n`;
}
