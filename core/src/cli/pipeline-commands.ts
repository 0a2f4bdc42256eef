import { relative } from "node:path";
import { CigError } from "../errors/cig-error.js";
import { exitCodeFor } from "../errors/error-codes.js";
import { writeOutputs } from "../output/write-outputs.js";
import type { PipelineEvent, PipelineResult } from "../pipeline/pipeline-types.js";
import { runPipeline } from "../pipeline/run-pipeline.js";
import type { CliContext } from "./cli-context.js";
import { pipelineJson } from "./pipeline-json.js";
import { printDiagnostics, reportFailure } from "./report-diagnostics.js";
import { projectPlugins, stdModuleProvides } from "./std-plugins.js";
import { OK, paint } from "./terminal.js";

/** Options shared by plan, render and validate. */
export interface PipelineCommandOptions {
  config?: string;
  provider?: string[];
}

/** `cig plan`: the seed's summary of detect, resolve, plan, generate, then what render would change. */
export async function planCommand(ctx: CliContext, opts: PipelineCommandOptions): Promise<number> {
  const result = await runWithProgress(ctx, opts, true);
  if (ctx.json) return finishJson(ctx, result);
  if (result.failed) return reportFailure(ctx, result);
  printDiagnostics(ctx, result);
  const changed = result.changes.filter((c) => c.status !== "unchanged");
  const say = (t: string) => ctx.term.out(t);
  say("\nChanges:\n");
  if (changed.length === 0) say(`  ${paint(ctx.term, "dim", "no changes: the outputs match cig.toml")}\n`);
  for (const c of changed)
    say(`  ${c.status === "created" ? paint(ctx.term, "green", "+") : paint(ctx.term, "yellow", "~")} ${c.path} (${c.status})\n`);
  if (changed.length > 0) say("\nRun `cig render` to apply these changes.\n");
  return 0;
}

/** `cig render [--check] [--force]`: write the outputs, or with --check fail on drift. */
export async function renderCommand(ctx: CliContext, opts: PipelineCommandOptions & { check?: boolean; force?: boolean }): Promise<number> {
  const result = await runWithProgress(ctx, opts, false);
  if (ctx.json && result.failed) return finishJson(ctx, result);
  if (result.failed) return reportFailure(ctx, result);
  printDiagnostics(ctx, result);
  const stale = result.changes.filter((c) => c.status !== "unchanged");
  if (opts.check) {
    if (ctx.json) return finishJson(ctx, result, stale.length > 0 ? exitCodeFor("CIG_OUTPUTS_STALE") : 0);
    if (stale.length === 0) {
      if (!ctx.quiet) ctx.term.out(`${paint(ctx.term, "green", OK)} ${result.changes.length} output(s) up to date\n`);
      return 0;
    }
    for (const c of stale) ctx.term.out(c.diff);
    throw new CigError(
      "CIG_OUTPUTS_STALE",
      `${stale.length} output(s) differ from what cig.toml renders: ${stale.map((c) => c.path).join(", ")}`,
      "Run `cig render` and commit the result.",
    );
  }
  const written = writeOutputs(ctx.cwd, result.changes, { force: opts.force === true });
  if (ctx.json) return finishJson(ctx, result);
  if (!ctx.quiet) {
    for (const c of result.changes) {
      const mark = c.status === "unchanged" ? paint(ctx.term, "dim", "=") : paint(ctx.term, "green", OK);
      ctx.term.out(`${mark} ${c.path} (${c.status === "unchanged" ? "unchanged" : `${c.status}, ${c.lines} lines`})\n`);
    }
    ctx.term.out(`${written.length} file(s) written\n`);
  }
  return 0;
}

/** `cig validate`: the whole pipeline without writing; fails on any error diagnostic. */
export async function validateCommand(ctx: CliContext, opts: PipelineCommandOptions): Promise<number> {
  const result = await runWithProgress(ctx, opts, false);
  if (ctx.json) return finishJson(ctx, result);
  if (result.failed) return reportFailure(ctx, result);
  printDiagnostics(ctx, result);
  if (!ctx.quiet)
    ctx.term.out(
      `${paint(ctx.term, "green", OK)} ${relative(ctx.cwd, result.configFile)} is valid (${result.graph.length} job variant(s), ${result.files.length} output file(s))\n`,
    );
  return 0;
}

/** Runs the pipeline for a command; `narrate` prints the seed's progress lines (plan). Shared by plan, render, validate and explain. */
export async function runWithProgress(ctx: CliContext, opts: PipelineCommandOptions, narrate: boolean): Promise<PipelineResult> {
  const say = (t: string) => narrate && !ctx.json && !ctx.quiet && ctx.term.out(t);
  let phase = "";
  const onEvent = (e: PipelineEvent) => {
    if (e.phase !== phase) {
      phase = e.phase;
      say(
        {
          detect: "Detecting project...\n",
          resolve: "\nResolving plugins...\n",
          plan: "\nPlanning resources...\n",
          generate: "\nGenerating...\n",
        }[e.phase],
      );
    }
    if (e.phase === "detect" && e.confidence >= 0.5) say(`  ${paint(ctx.term, "green", OK)} ${e.summary || "detected"} (${e.plugin})\n`);
    if (e.phase === "resolve") say(`  ${paint(ctx.term, "green", OK)} ${e.plugin}@${e.version}\n`);
    if (e.phase === "plan")
      say(`  + job.${e.job} (${e.variants > 1 ? `matrix: ${e.variants} variants` : `runs on ${e.runner || "the default runner"}`})\n`);
    if (e.phase === "generate") say(`  ${paint(ctx.term, "green", OK)} ${e.path} (${e.lines} lines)\n`);
  };
  const config = opts.config ?? process.env.CIG_CONFIG;
  return runPipeline({
    cwd: ctx.cwd,
    ...(config ? { configPath: config } : {}),
    ...(opts.provider && opts.provider.length > 0 ? { providers: opts.provider } : {}),
    host: ctx.hostOptions,
    ...(await projectPlugins(ctx.cwd, config).then((p) => ({ stdPlugins: p.commands, moduleManifests: p.manifests }))),
    stdModules: stdModuleProvides(),
    onEvent,
  });
}

function finishJson(ctx: CliContext, result: PipelineResult, code?: number): number {
  ctx.term.out(`${JSON.stringify(pipelineJson(ctx.cwd, result), null, 2)}\n`);
  return code ?? (result.failed ? exitCodeFor("CIG_DIAGNOSTICS") : 0);
}
