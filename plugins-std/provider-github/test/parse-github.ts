/**
 * Reads a rendered GitHub Actions workflow back into the neutral graph of
 * golden-tests/neutral-graph.ts, for the semantic equivalence test. It reads
 * the YAML text only (never this package's src/), so a renderer bug cannot
 * hide itself here.
 *
 * - A job with `strategy.matrix` is expanded as GitHub expands it (axes,
 *   `exclude` by partial match, `include` extending matching combinations or
 *   adding new ones); each cell is a variant named as cig names variants
 *   (`test-ruby3.2-amd64`: axes in the order written, a value starting with
 *   a digit prefixed by its axis). `${{ matrix.x }}` is bound per cell.
 * - Commands are the `run:` steps, except the one run step the provider
 *   writes itself: `corepack enable`, its rendering of a yarn setup step
 *   (everything else it adds is a `uses:` step: checkout, setup, cache).
 * - Conditions: the expressions provider/github writes for portable
 *   conditions are turned back into the portable language; anything else is
 *   returned as written.
 * - The skip machinery is not the user's graph: the jobs `cig-signatures`
 *   and `cig-result` are left out, `cig-signatures` is dropped from `needs`,
 *   and a gated job's `if` is read without its `${{ }}` wrapper, the robust
 *   status prefix and the bootstrap's verdict ({@link ownCondition}).
 */
import { formatCondition, parseCondition } from "@cig/sdk";
import { parse } from "yaml";
import type { NeutralGraph, NeutralJob } from "../../../golden-tests/neutral-graph.js";

// biome-ignore lint/suspicious/noExplicitAny: walks arbitrary workflow YAML.
type Any = any;

const BRANCH_EQ = /\(github\.ref_type == 'branch' && \(github\.head_ref \|\| github\.ref_name\) == ('(?:[^']|'')*')\)/g;
const BRANCH_PREFIX = /\(github\.ref_type == 'branch' && startsWith\(\(github\.head_ref \|\| github\.ref_name\), '((?:[^']|'')*)'\)\)/g;
const TAG_EQ = /\(github\.ref_type == 'tag' && github\.ref_name == ('(?:[^']|'')*')\)/g;
const EVENT = /github\.event_name (==|!=) '(push|pull_request|schedule|workflow_dispatch)'/g;

const PROVIDER_RUN = "corepack enable";

const MACHINERY = new Set(["cig-signatures", "cig-result"]);
const ROBUST = "!cancelled() && !failure() && !contains(needs.*.result, 'failure') && !contains(needs.*.result, 'cancelled')";
const VERDICT = /^needs\.cig-signatures\.outputs\.[A-Za-z0-9_-]+ == 'true'(?: && |$)/;

/**
 * The job's own condition inside a job-level `if` the skip machinery wrote
 * (`${{ <robust status> && <verdict> && (<own>) }}`); a `success()` it
 * replaced by the robust status comes back. Other text unchanged.
 */
export function ownCondition(expr: string): string {
  const text = String(expr ?? "").trim();
  const wrapped = /^\$\{\{([\s\S]*)\}\}$/.exec(text);
  if (!wrapped || !(text.includes(ROBUST) || text.includes("needs.cig-signatures.outputs."))) return text;
  let own = (wrapped[1] as string).trim();
  if (own.startsWith(ROBUST)) own = own.slice(ROBUST.length).replace(/^ && /, "");
  own = own.replace(VERDICT, "");
  return own.split(`(${ROBUST})`).join("success()");
}

/** The portable form of a condition provider/github rendered; other text unchanged. */
export function portableFromGithub(expr: string): string {
  if (!expr) return "";
  const text = String(expr)
    .replace(BRANCH_EQ, "branch == $1")
    .replace(BRANCH_PREFIX, "branch == '$1**'")
    .replace(TAG_EQ, "tag == $1")
    .replace(EVENT, (_m, op: string, ev: string) => `event ${op} '${ev === "workflow_dispatch" ? "manual" : ev}'`);
  const parsed = parseCondition(text);
  return parsed.portable ? formatCondition(parsed.condition) : String(expr);
}

/** Every job variant of a rendered workflow, sorted by id. */
export function parseGithub(content: string): NeutralGraph {
  const wf = parse(content) as Any;
  const out: NeutralJob[] = [];
  const idsOf = new Map<string, string[]>();
  const pending: Array<{ job: NeutralJob; needs: string[] }> = [];
  for (const [key, job] of Object.entries<Any>(wf?.jobs ?? {})) {
    if (MACHINERY.has(key)) continue;
    const matrix = job.strategy?.matrix;
    const cells: Array<Record<string, string>> = matrix ? expandMatrix(matrix) : [{}];
    const order = matrix ? axisOrder(matrix) : [];
    const ids: string[] = [];
    for (const cell of cells) {
      const id = matrix ? variantId(key, order, cell) : key;
      ids.push(id);
      const bind = (s: string) => s.replace(/\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}/g, (m, axis: string) => cell[axis] ?? m);
      const neutral: NeutralJob = {
        id,
        needs: [],
        commands: (job.steps ?? []).filter((s: Any) => typeof s?.run === "string" && s.run !== PROVIDER_RUN).map((s: Any) => bind(s.run)),
        matrix: cell,
        services: Object.values<Any>(job.services ?? {})
          .map((s) => bind(String(s?.image ?? "")))
          .sort(),
        condition: portableFromGithub(ownCondition(job.if ?? "")),
      };
      const needs = ([] as string[]).concat(job.needs ?? []).filter((n) => !MACHINERY.has(n));
      pending.push({ job: neutral, needs });
      out.push(neutral);
    }
    idsOf.set(key, ids);
  }
  for (const { job, needs } of pending) job.needs = needs.flatMap((n) => idsOf.get(n) ?? [`<unknown ${n}>`]).sort();
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function axisOrder(matrix: Any): string[] {
  const axes = Object.keys(matrix).filter((k) => k !== "include" && k !== "exclude");
  const extra = (matrix.include ?? []).flatMap((c: Any) => Object.keys(c)).filter((k: string) => !axes.includes(k));
  return [...axes, ...new Set<string>(extra)];
}

/** GitHub's matrix expansion: product of the axes, minus excludes (partial match), then includes. */
export function expandMatrix(matrix: Any): Array<Record<string, string>> {
  const axes = Object.keys(matrix).filter((k) => k !== "include" && k !== "exclude");
  let cells: Array<Record<string, string>> = axes.length > 0 ? [{}] : [];
  for (const axis of axes) cells = cells.flatMap((c) => (matrix[axis] as unknown[]).map((v) => ({ ...c, [axis]: String(v) })));
  const matches = (cell: Record<string, string>, part: Record<string, unknown>) =>
    Object.entries(part).every(([k, v]) => cell[k] === String(v));
  cells = cells.filter((c) => !(matrix.exclude ?? []).some((e: Record<string, unknown>) => matches(c, e)));
  const original = cells.map((c) => ({ ...c }));
  for (const inc of (matrix.include ?? []) as Array<Record<string, unknown>>) {
    const entry = Object.fromEntries(Object.entries(inc).map(([k, v]) => [k, String(v)]));
    let extended = false;
    cells.forEach((cell, i) => {
      const base = original[i] ?? {};
      // Extends a combination when it overwrites none of the combination's original axis values.
      if (Object.entries(entry).every(([k, v]) => !(k in base) || base[k] === v)) {
        Object.assign(cell, entry);
        extended = true;
      }
    });
    if (!extended) cells.push(entry);
  }
  return cells;
}

function variantId(job: string, order: string[], cell: Record<string, string>): string {
  const part = (k: string, v: string) => (v === "" || /^[0-9]/.test(v) ? `${k}${v}` : v).replace(/[^A-Za-z0-9._-]/gu, "_");
  const parts = order.filter((k) => cell[k] !== undefined).map((k) => part(k, cell[k] as string));
  return parts.length === 0 ? job : `${job}-${parts.join("-")}`;
}
