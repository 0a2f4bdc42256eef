import type { Diagnostic, JobResource, Job as SchemaJob } from "@cig/proto";
import { formatDiagnostic } from "../config/format-diagnostic.js";
import type { PipelineResult } from "../pipeline/pipeline-types.js";
import { toJsonDiagnostic } from "./diagnostic-json.js";
import { describeStep, inline, stepName } from "./explain-format.js";
import { type ExplainedSignature, signatureSection } from "./explain-signature.js";
import { paint, type Terminal } from "./terminal.js";

/** The job `cig explain job <id>` is about, with everything the sections read. */
export interface ExplainTarget {
  jobId: string;
  /** The variant asked for (`test-ruby3.2`), when the id named one. */
  variant: string | undefined;
  /** Every variant of the job, in graph order ("job:test-ruby3.2" → its resource). */
  variants: Array<{ id: string; job: JobResource }>;
  /** The variant shown where variants differ: the one asked for, else the first. */
  focus: { id: string; job: JobResource };
  schemaJob: SchemaJob | undefined;
  result: PipelineResult;
  /** cig.toml's text, for diagnostics with source lines. */
  source: string | undefined;
  /** Diagnostics about this job (by resource id or by a position inside its tables). */
  diagnostics: Diagnostic[];
  /** The focus variant's work signature; undefined when the run failed before it. */
  signature?: ExplainedSignature | undefined;
}

/** One part of the explanation: a key in --json, a titled block of lines on the terminal. */
export interface ExplainSection {
  key: string;
  title: string;
  json: unknown;
  lines: string[];
}

export type SectionBuilder = (t: ExplainTarget, term: Terminal) => ExplainSection;

const bare = (id: string) => id.replace(/^job:/, "");
const row = (term: Terminal, key: string, value: string) => `  ${paint(term, "dim", key.padEnd(10))} ${value}`;

const runner: SectionBuilder = ({ focus, schemaJob }, term) => {
  const r = focus.job.runner;
  const name = r?.name ?? "";
  const from = name === "" ? "" : schemaJob?.runner ? " (the job's runner)" : " (project.default_runner)";
  const lines = [`  ${name === "" ? "none: each provider's default machine" : `${name}${from}`}`];
  for (const [provider, table] of Object.entries(r?.providers ?? {})) lines.push(row(term, provider, inline(table)));
  return { key: "runner", title: "Runner", json: { name, providers: r?.providers ?? {} }, lines };
};

const matrix: SectionBuilder = ({ variants, variant }, term) => {
  const json = variants.map((v) => ({ id: bare(v.id), values: v.job.matrix }));
  const single = variants.length === 1 && Object.keys(variants[0]?.job.matrix ?? {}).length === 0;
  const width = Math.max(...json.map((v) => v.id.length));
  const lines = single
    ? ["  no matrix: one variant"]
    : json.map((v) => {
        const values = Object.entries(v.values).map(([k, x]) => `${k}=${x}`);
        const mark = variant === undefined ? "" : v.id === variant ? "> " : "  ";
        const text = `${mark}${v.id.padEnd(width)}`;
        return `  ${v.id === variant ? paint(term, "bold", text) : text}  ${values.join(" ")}`;
      });
  return { key: "variants", title: single ? "Matrix" : `Matrix (${variants.length} variants)`, json, lines };
};

const needs: SectionBuilder = ({ focus, variants, variant, schemaJob, result }, term) => {
  const jobOf = new Map(result.graph.map((r) => [r.id, r.spec.case === "job" ? r.spec.value.jobId : bare(r.id)]));
  const direct = (schemaJob?.needs ?? []).map((job) => ({ job, variants: focus.job.needs.filter((n) => jobOf.get(n) === job).map(bare) }));
  const mine = new Set(variant ? [focus.id] : variants.map((v) => v.id));
  const by = new Map<string, { job: string; variants: string[]; reason: string }>();
  for (const d of result.deps) {
    const job = jobOf.get(d.from);
    if (!mine.has(d.to) || !d.from.startsWith("job:") || job === undefined) continue;
    const entry = by.get(job) ?? { job, variants: [], reason: d.reason };
    if (!entry.variants.includes(bare(d.from))) entry.variants.push(bare(d.from));
    by.set(job, entry);
  }
  const neededBy = [...by.values()];
  const show = (e: { job: string; variants: string[] }) =>
    e.variants.length === 1 && e.variants[0] === e.job ? e.job : `${e.job} → ${e.variants.join(", ")}`;
  const lines = [
    row(term, "needs", direct.length > 0 ? direct.map(show).join("; ") : "nothing"),
    row(term, "needed by", neededBy.length > 0 ? neededBy.map(show).join("; ") : "nothing"),
  ];
  return { key: "dependencies", title: "Dependencies", json: { needs: direct, neededBy }, lines };
};

const steps: SectionBuilder = ({ focus, result }, term) => {
  const owners = result.contributions.steps.get(focus.id) ?? [];
  const json = focus.job.steps.map((step, i) => {
    const c = owners[i];
    const loc = step.loc?.line ? `${step.loc.path}:${step.loc.line}:${step.loc.column}` : undefined;
    return {
      name: stepName(step),
      action: step.action.case ?? "",
      detail: describeStep(step),
      owner: c?.owner ?? "cig.toml",
      placement: c?.placement ?? "user",
      order: c?.order ?? i,
      resource: c?.resourceId ?? "",
      ...(loc ? { location: loc } : {}),
    };
  });
  const width = Math.max(0, ...json.map((s) => s.name.length));
  const lines = json.flatMap((s, i) => {
    const who =
      s.placement === "user"
        ? `cig.toml steps[${s.order}]${s.location ? ` (${s.location})` : ""}`
        : `${s.owner} (${s.placement}, order ${s.order})`;
    return [
      `  ${String(i + 1).padStart(2)}. ${s.name.padEnd(width)}  ${paint(term, "cyan", `← ${who}`)}`,
      paint(term, "dim", `      ${s.detail}`),
    ];
  });
  return { key: "steps", title: "Steps, in order", json, lines: lines.length > 0 ? lines : ["  none"] };
};

const resolved: SectionBuilder = ({ focus, result }, term) => {
  const j = focus.job;
  const owners = result.contributions.services?.get(focus.id) ?? [];
  const services = j.services.map((s) => ({
    name: s.name,
    image: s.image,
    ports: s.ports,
    env: s.env,
    owner: owners.find((o) => o.name === s.name)?.owner ?? "cig.toml",
  }));
  const caches = j.caches.map((name) => {
    const c = result.schema?.caches.find((x) => x.name === name);
    return { name, paths: c?.paths ?? [], keyParts: c?.keyParts ?? [] };
  });
  const env = { job: j.env, workflow: result.schema?.workflow?.env ?? {} };
  const pairs = (m: Record<string, string>) => Object.entries(m).map(([k, v]) => `${k}=${v}`);
  const lines = [
    row(term, "packages", j.packages.join(", ") || "none"),
    row(term, "services", services.map((s) => `${s.name} (${s.image || "no image"}, from ${s.owner})`).join("; ") || "none"),
    row(term, "caches", caches.map((c) => `${c.name} (paths ${c.paths.join(", ")}; key ${c.keyParts.join(", ")})`).join("; ") || "none"),
    row(term, "env", pairs(env.job).join(" ") || "none"),
  ];
  if (Object.keys(env.workflow).length > 0) lines.push(row(term, "env (all)", pairs(env.workflow).join(" ")));
  if (j.timeoutMinutes) lines.push(row(term, "timeout", `${j.timeoutMinutes} min`));
  if (j.condition) lines.push(row(term, "if", j.condition));
  const skip = j.skipIf;
  if (skip) lines.push(row(term, "skip_if", inline({ paths_unmodified: skip.pathsUnmodified, env: skip.env, branch: skip.branch })));
  if (j.neverSkip) lines.push(row(term, "never_skip", "true"));
  if (j.inputs.length > 0) lines.push(row(term, "inputs", j.inputs.join(", ")));
  for (const [provider, table] of Object.entries(j.passthrough)) lines.push(row(term, provider, inline(table)));
  const json = {
    packages: j.packages,
    services,
    caches,
    env,
    timeoutMinutes: j.timeoutMinutes,
    if: j.condition,
    skipIf: skip ? { pathsUnmodified: skip.pathsUnmodified, env: skip.env, branch: skip.branch } : null,
    neverSkip: j.neverSkip,
    inputs: j.inputs,
    passthrough: j.passthrough,
  };
  return { key: "resolved", title: "Resolved settings", json, lines };
};

const diagnostics: SectionBuilder = ({ diagnostics: ds, source, result }, term) => {
  const others = result.diagnostics.length - ds.length;
  const lines = ds.flatMap((d) =>
    formatDiagnostic(d, d.loc?.path === result.schema?.sourcePath ? source : undefined, { color: term.color })
      .trimEnd()
      .split("\n")
      .map((l) => `  ${l}`),
  );
  if (lines.length === 0) lines.push("  none");
  if (others > 0) lines.push(paint(term, "dim", `  (${others} more about other parts of cig.toml: \`cig validate\` shows them all)`));
  return { key: "diagnostics", title: "Diagnostics", json: ds.map(toJsonDiagnostic), lines };
};

/**
 * The sections, in the order printed. A new part of the explanation (issue 5:
 * the work signature's inputs) is one more builder here; --json gets its key.
 */
export const SECTIONS: readonly SectionBuilder[] = [runner, matrix, needs, steps, resolved, signatureSection, diagnostics];
