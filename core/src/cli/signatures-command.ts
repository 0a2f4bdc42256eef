import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { CigError } from "../errors/cig-error.js";
import { didYouMean } from "../graph/did-you-mean.js";
import { type Decision, EMPTY_GLOB } from "../signatures/index.js";
import { loadBlake3 } from "../signatures/load-blake3.js";
import type { CliContext } from "./cli-context.js";
import { toJsonDiagnostic } from "./diagnostic-json.js";
import { type ModeEntry, modeEntries } from "./group-decisions.js";
import { printDiagnostics, reportFailure } from "./report-diagnostics.js";
import { runSignatures, type SignatureRun, type SignatureRunOptions } from "./signature-run.js";
import { OK, paint } from "./terminal.js";

/** Options of `cig compute-signatures`. */
export interface ComputeSignaturesOptions extends SignatureRunOptions {
  job?: string;
  events?: boolean;
  lines?: boolean;
  githubOutput?: boolean;
  /** Write `<dir>/<id>` holding `<signature>\n` per variant and job: CircleCI cache keys checksum them. */
  signatureFiles?: string;
}

/**
 * `cig compute-signatures`: every variant's work signature, whether it
 * runs, and why. Formats: a table (default), `--json`, `--events` (JSON
 * lines), `--lines` (`<id> <run|skip> <signature>`), `--github-output`
 * (the `decisions` step output), `--render <provider>` (the run-time
 * pipeline on stdout). Skipping is not an error: exit 0 once computed.
 */
export async function computeSignaturesCommand(ctx: CliContext, opts: ComputeSignaturesOptions): Promise<number> {
  const run = await runSignatures(ctx, opts);
  if (!("decisions" in run)) return reportFailure(ctx, run);
  const decisions = selectJob(run.decisions, opts.job);
  if (opts.signatureFiles !== undefined)
    writeSignatureFiles(resolve(ctx.cwd, opts.signatureFiles), modeEntries(decisions, await loadBlake3()));
  if (opts.render) return printRendered(ctx, run, opts.render);
  // Only what the workflow reads (skippable variants and their jobs): a job's outputs are capped at 1 MB.
  if (opts.githubOutput)
    writeGithubOutput(
      modeEntries(
        decisions.filter((d) => d.skippable),
        await loadBlake3(),
      ),
    );
  if (ctx.json) {
    const doc = {
      version: 1,
      source: run.repo.source,
      branch: run.branch ?? null,
      store: relative(ctx.cwd, run.store.dir) || ".",
      signatures: decisions,
      diagnostics: run.diagnostics.map(toJsonDiagnostic),
    };
    ctx.term.out(`${JSON.stringify(doc, null, 2)}\n`);
    return 0;
  }
  if (opts.events) {
    for (const d of decisions) {
      const event = {
        event: d.should_run ? "job.scheduled" : "job.skipped",
        job: d.job,
        variant: d.variant,
        signature: d.signature,
        reason: d.reason,
      };
      ctx.term.out(`${JSON.stringify(event)}\n`);
    }
    return 0;
  }
  if (opts.lines) {
    for (const [id, e] of Object.entries(modeEntries(decisions, await loadBlake3())))
      ctx.term.out(`${id} ${e.mode === "skip" ? "skip" : "run"} ${e.signature}\n`);
    return 0;
  }
  printDiagnostics(ctx, { ...run.pipeline, diagnostics: run.diagnostics });
  printTable(ctx, run, decisions, (t) => ctx.term.out(t));
  return 0;
}

/** The decision table (and notices) through `write`: stdout, or stderr when stdout carries a pipeline. */
function printTable(ctx: CliContext, run: SignatureRun, decisions: readonly Decision[], write: (text: string) => void): void {
  for (const note of run.repo.notices) ctx.term.err(`${paint(ctx.term, "yellow", "note")}: ${note}\n`);
  const width = Math.max(...decisions.map((d) => d.variant.length), 3);
  for (const d of decisions) {
    const mark = d.should_run ? paint(ctx.term, "green", "run ") : paint(ctx.term, "dim", "skip");
    write(`${mark} ${d.variant.padEnd(width)}  ${d.signature.slice(0, 19)}…  ${d.reason}${detail(d)}\n`);
  }
  const runs = decisions.filter((d) => d.should_run).length;
  if (!ctx.quiet) write(`${paint(ctx.term, "green", OK)} ${runs} to run, ${decisions.length - runs} skipped\n`);
}

/** One short clause on what changed, for the table. */
function detail(d: Decision): string {
  const x = d.details;
  if (!x) return "";
  const files = [...(x.files?.added ?? []), ...(x.files?.changed ?? []), ...(x.files?.removed ?? [])];
  if (d.reason === "files_changed" && files.length > 0)
    return ` (${files.slice(0, 3).join(", ")}${files.length > 3 ? `, +${files.length - 3}` : ""})`;
  if (d.reason === "skip_if:branch") return ` (${x.branch} matches ${x.pattern})`;
  if ((d.reason === "skip_if:env" || d.reason === "env_changed") && x.env) return ` (${x.env.join(", ")})`;
  if (d.reason === "upstream_changed" && x.upstream) return ` (${x.upstream.join(", ")})`;
  return "";
}

/** The variants of `job` (a cig.toml id or a variant id), or all. */
export function selectJob(decisions: readonly Decision[], job: string | undefined): Decision[] {
  if (job === undefined) return [...decisions];
  const picked = decisions.filter((d) => d.job === job || d.variant === job);
  if (picked.length > 0) return picked;
  const ids = [...new Set(decisions.flatMap((d) => [d.job, d.variant]))];
  const guess = didYouMean(job, ids);
  throw new CigError(
    "CIG_USAGE",
    `no job "${job}"`,
    `${guess ? `Did you mean "${guess}"? ` : ""}Jobs: ${[...new Set(decisions.map((d) => d.job))].join(", ")}.`,
  );
}

function writeSignatureFiles(dir: string, entries: Record<string, ModeEntry>): void {
  mkdirSync(dir, { recursive: true });
  // Ids are [A-Za-z0-9._-] (cig.toml job ids and variant parts): safe file names as they are.
  for (const [id, e] of Object.entries(entries)) writeFileSync(join(dir, id), `${e.signature}\n`);
}

function writeGithubOutput(entries: Record<string, unknown>): void {
  const file = process.env.GITHUB_OUTPUT;
  if (!file)
    throw new CigError(
      "CIG_USAGE",
      "--github-output needs GITHUB_OUTPUT",
      "It is set inside GitHub Actions steps; run without --github-output elsewhere.",
    );
  appendFileSync(file, `decisions=${JSON.stringify(entries)}\n`);
}

function printRendered(ctx: CliContext, run: SignatureRun, provider: string): number {
  const files = run.pipeline.changes;
  if (files.length !== 1)
    throw new CigError(
      "CIG_USAGE",
      `--render ${provider} produced ${files.length} files (${files.map((f) => f.path).join(", ")}); it prints exactly one`,
      "Give that provider a single [[outputs]] entry.",
    );
  const warnings = run.diagnostics.filter((d) => d.code === EMPTY_GLOB);
  for (const w of warnings) ctx.term.err(`warning: ${w.message}\n`);
  // The CI log says what was skipped and why; stdout is the pipeline.
  printTable(ctx, run, run.decisions, (t) => ctx.term.err(t));
  // As `cig render` would write it (header included): the pipeline a CI platform runs.
  ctx.term.out(files[0]?.content ?? "");
  return 0;
}
