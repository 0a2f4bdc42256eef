import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { Diagnostic, JobResource } from "@cig/proto";
import { didYouMean } from "../config/index.js";
import { CigError } from "../errors/cig-error.js";
import type { PipelineResult } from "../pipeline/pipeline-types.js";
import type { CliContext } from "./cli-context.js";
import { toJsonDiagnostic } from "./diagnostic-json.js";
import { type ExplainTarget, SECTIONS } from "./explain-sections.js";
import type { ExplainedSignature } from "./explain-signature.js";
import { type PipelineCommandOptions, runWithProgress } from "./pipeline-commands.js";
import { reportFailure } from "./report-diagnostics.js";
import { signaturesOf } from "./signature-run.js";
import { paint } from "./terminal.js";

/**
 * `cig explain job <id>`: runs the pipeline as `cig plan` does (writing
 * nothing) and shows one job as cig resolved it: where it is defined, its
 * runner, matrix variants, dependencies both ways, every step with the plugin
 * that contributed it, services, caches, env, and its diagnostics. `<id>` is
 * the id in cig.toml or one variant's id. Exits 1 when the run has errors.
 */
export async function explainJobCommand(ctx: CliContext, id: string, opts: PipelineCommandOptions): Promise<number> {
  const result = await runWithProgress(ctx, opts, false);
  const configName = relative(ctx.cwd, result.configFile);
  if (result.failed && result.graph.length === 0) {
    if (!ctx.json) return reportFailure(ctx, result);
    const failure = { config: configName, job: id, ok: false, diagnostics: result.diagnostics.map(toJsonDiagnostic) };
    ctx.term.out(`${JSON.stringify(failure, null, 2)}\n`);
    return 1;
  }
  const target = findTarget(result, id.replace(/^job:/, ""), configName);
  if (!result.failed) target.signature = await explainSignature(ctx.cwd, result, target.focus.id.slice(4));
  const sections = SECTIONS.map((build) => build(target, ctx.term));
  const loc = target.focus.job.loc;
  const defined = loc?.line ? `${loc.path || configName}:${loc.line}:${loc.column}` : configName;
  if (ctx.json) {
    const head = { config: configName, job: target.jobId, variant: target.variant ?? null, defined, ok: !result.failed };
    ctx.term.out(`${JSON.stringify({ ...head, ...Object.fromEntries(sections.map((s) => [s.key, s.json])) }, null, 2)}\n`);
  } else {
    const variant = target.variant ? `, variant ${target.variant}` : "";
    ctx.term.out(`${paint(ctx.term, "bold", `Job ${target.jobId}${variant}`)}, defined at ${defined}\n`);
    for (const s of sections) ctx.term.out(`\n${paint(ctx.term, "bold", s.title)}\n${s.lines.join("\n")}\n`);
    if (result.failed) ctx.term.err(`${paint(ctx.term, "red", "error")}: this run has errors; \`cig validate\` shows them all\n`);
  }
  return result.failed ? 1 : 0;
}

/** The signature of `variant` and its decision against the pass store. */
async function explainSignature(cwd: string, result: PipelineResult, variant: string): Promise<ExplainedSignature | undefined> {
  const run = await signaturesOf(cwd, result, {});
  const found = run.computed.results.find((r) => r.variant === variant);
  const decision = run.decisions.find((d) => d.variant === variant);
  return found && decision ? { result: found, decision, store: relative(cwd, run.store.dir) || "." } : undefined;
}

/** The job named `id` (cig.toml id first, then a variant id), or a usage error with a did-you-mean. */
function findTarget(result: PipelineResult, id: string, configName: string): ExplainTarget {
  const all = result.graph.flatMap((r) => (r.spec.case === "job" ? [{ id: r.id, job: r.spec.value }] : []));
  const jobIds = [...new Set(all.map((v) => v.job.jobId))].sort();
  const asVariant = all.find((v) => v.id === `job:${id}`);
  const jobId = jobIds.includes(id) ? id : asVariant?.job.jobId;
  if (jobId === undefined) {
    const variantIds = all.map((v) => v.id.slice(4));
    const prefixed = variantIds.filter((v) => v.startsWith(id));
    const guess = didYouMean(id, [...jobIds, ...variantIds]) ?? (prefixed.length === 1 ? prefixed[0] : undefined);
    const example = all.find((v) => Object.keys(v.job.matrix).length > 0)?.id.slice(4);
    throw new CigError(
      "CIG_USAGE",
      `no job "${id}" in ${configName}`,
      `${guess ? `Did you mean "${guess}"? ` : ""}${jobIds.length > 0 ? `Jobs: ${jobIds.join(", ")}${example ? ` (or a matrix variant id, such as ${example})` : ""}.` : `${configName} has no jobs.`}`,
    );
  }
  const variants = all.filter((v) => v.job.jobId === jobId);
  const variant = jobId === id ? undefined : id;
  const focus = (variant ? asVariant : variants[0]) as { id: string; job: JobResource };
  const source = readSource(result.configFile);
  return {
    jobId,
    variant,
    variants,
    focus,
    schemaJob: result.schema?.jobs.find((j) => j.id === jobId),
    result,
    source,
    diagnostics: result.diagnostics.filter((d) =>
      isAbout(
        d,
        jobId,
        variants.map((v) => v.id),
        result.schema?.sourcePath,
        source,
      ),
    ),
  };
}

/** By resource id, or by a position inside the job's tables in cig.toml. */
function isAbout(d: Diagnostic, jobId: string, variantIds: string[], configPath: string | undefined, source: string | undefined): boolean {
  const r = d.resourceId;
  if (r && (r === `job:${jobId}` || variantIds.includes(r) || r.startsWith(`step:${jobId}/`) || r.startsWith(`service:${jobId}/`)))
    return true;
  if (!d.loc?.line || d.loc.path !== configPath || source === undefined) return false;
  return tableOfLine(source, d.loc.line) === jobId;
}

/** The job whose `[jobs.<id>…]` table a line is in, from the table headers above it. */
function tableOfLine(source: string, line: number): string | undefined {
  let current: string | undefined;
  const lines = source.split("\n").slice(0, line);
  for (const text of lines) {
    const header = /^\s*\[\[?\s*([A-Za-z0-9_"'. -]+?)\s*\]\]?\s*(#.*)?$/.exec(text);
    if (!header?.[1]) continue;
    const parts = header[1].split(".").map((p) => p.trim().replace(/^["'](.*)["']$/, "$1"));
    current = parts[0] === "jobs" ? parts[1] : undefined;
  }
  return current;
}

function readSource(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
