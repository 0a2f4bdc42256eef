import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { type Diagnostic, Diagnostic_Level } from "@cig/proto";
import { formatDiagnostic } from "../config/format-diagnostic.js";
import { exitCodeFor } from "../errors/error-codes.js";
import type { PipelineResult } from "../pipeline/pipeline-types.js";
import type { CliContext } from "./cli-context.js";
import { paint } from "./terminal.js";

/** Prints every diagnostic of a run (errors only with --quiet, none with --json), with the cig.toml line for those in it. */
export function printDiagnostics(ctx: CliContext, result: PipelineResult): void {
  if (ctx.json) return;
  let source: string | undefined;
  try {
    source = readFileSync(result.configFile, "utf8");
  } catch {
    source = undefined;
  }
  const configName = relative(ctx.cwd, result.configFile);
  for (const d of result.diagnostics) {
    if (ctx.quiet && d.level !== Diagnostic_Level.ERROR) continue;
    ctx.term.err(`${formatDiagnostic(d, d.loc?.path === configName ? source : undefined, { color: ctx.term.color })}\n`);
  }
}

/** Prints the diagnostics of a failed run and the error count; returns exit code 1. */
export function reportFailure(ctx: CliContext, result: PipelineResult): number {
  printDiagnostics(ctx, result);
  const errors = result.diagnostics.filter((d: Diagnostic) => d.level === Diagnostic_Level.ERROR).length;
  ctx.term.err(`${paint(ctx.term, "red", "error")}: ${errors} error(s); nothing was written\n`);
  return exitCodeFor("CIG_DIAGNOSTICS");
}
