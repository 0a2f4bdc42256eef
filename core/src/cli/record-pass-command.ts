import { relative } from "node:path";
import { CigError } from "../errors/cig-error.js";
import { markerName, passManifest } from "../signatures/index.js";
import type { CliContext } from "./cli-context.js";
import { reportFailure } from "./report-diagnostics.js";
import { runSignatures, type SignatureRunOptions } from "./signature-run.js";
import { selectJob } from "./signatures-command.js";
import { OK, paint } from "./terminal.js";

/** Options of `cig record-pass`. */
export interface RecordPassOptions extends SignatureRunOptions {
  /** The signature decided before the job ran (compute-signatures printed it). */
  signature?: string;
}

/**
 * `cig record-pass <id>`: records that a variant (or every variant of a
 * job) passed, so the next run with the same signature skips it. With
 * `--signature`, that signature is recorded even when the inputs changed
 * while the job ran (build outputs that are neither committed nor ignored):
 * the next run computes its signature from a fresh checkout, which is the
 * one decided before the job. Markers are create-only; recording twice is
 * not an error.
 */
export async function recordPassCommand(ctx: CliContext, id: string, opts: RecordPassOptions): Promise<number> {
  const run = await runSignatures(ctx, opts);
  if (!("decisions" in run)) return reportFailure(ctx, run);
  const variants = new Set(selectJob(run.decisions, id).map((d) => d.variant));
  const results = run.computed.results.filter((r) => variants.has(r.variant));
  if (opts.signature !== undefined && results.length !== 1)
    throw new CigError(
      "CIG_USAGE",
      `--signature names one variant, but "${id}" has ${results.length}`,
      `Record each variant by its id: ${results.map((r) => r.variant).join(", ")}.`,
    );
  const recorded: string[] = [];
  for (const r of results) {
    const signature = opts.signature ?? r.signature;
    if (signature !== r.signature)
      ctx.term.err(
        `${paint(ctx.term, "yellow", "warning")}: the inputs of ${r.variant} changed while it ran (now ${r.signature}); recording ${signature}, the signature it ran with\n`,
      );
    // Validates the signature's form (CIG_SIG_BAD_SIGNATURE) before anything is written.
    markerName(r.variant, signature);
    await run.store.record({ ...passManifest(r), signature });
    recorded.push(`${r.variant} ${signature}`);
  }
  if (ctx.json) ctx.term.out(`${JSON.stringify({ store: relative(ctx.cwd, run.store.dir) || ".", recorded }, null, 2)}\n`);
  else if (!ctx.quiet)
    for (const line of recorded)
      ctx.term.out(`${paint(ctx.term, "green", OK)} recorded ${line} in ${relative(ctx.cwd, run.store.dir) || "."}\n`);
  return 0;
}
