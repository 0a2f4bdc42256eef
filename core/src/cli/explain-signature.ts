import type { Decision, SignatureResult } from "../signatures/index.js";
import type { SectionBuilder } from "./explain-sections.js";
import { paint, type Terminal } from "./terminal.js";

/** The focus variant's work signature, as `cig explain job` shows it. */
export interface ExplainedSignature {
  result: SignatureResult;
  decision: Decision;
  /** Where passes are looked up, relative to the working directory. */
  store: string;
}

// The terminal lists this many files; --json lists them all.
const FILES_SHOWN = 20;

/**
 * "Work signature": every input of the focus variant's signature (files
 * with their git object ids, patterns, env names as set/unset — never
 * values —, upstream signatures, tool versions, the definition's hash) and,
 * against the last recorded pass, which of them differ.
 */
export const signatureSection: SectionBuilder = ({ signature }, term) => {
  if (!signature) return { key: "signature", title: "Work signature", json: null, lines: ["  not computed: this run has errors"] };
  const { result, decision, store } = signature;
  const c = result.components;
  const row = (key: string, value: string) => `  ${paint(term, "dim", key.padEnd(10))} ${value}`;
  const verdict = decision.should_run ? paint(term, "green", "runs") : paint(term, "dim", "skipped");
  const lines = [
    row("signature", result.signature),
    row("decision", `${verdict} (${decision.reason}), passes in ${store}`),
    row("skippable", result.skippable ? "yes" : result.spec.neverSkip ? "no (never_skip)" : "no (no skip_if or inputs)"),
    row(
      "files",
      c.everyFile
        ? `every file of the repository (${c.files.length}): no skip_if.paths_unmodified or inputs`
        : `${c.files.length} matching ${c.patterns.join(", ")}`,
    ),
    ...c.files.slice(0, FILES_SHOWN).map((f) => `             ${f.mode} ${f.oid.slice(0, 12)} ${f.path}`),
    ...(c.files.length > FILES_SHOWN ? [paint(term, "dim", `             … ${c.files.length - FILES_SHOWN} more (--json lists all)`)] : []),
    row("env", names(Object.entries(c.env).map(([k, v]) => `${k} (${v === null ? "unset" : "set"})`))),
    row("upstream", names(Object.entries(c.upstream).map(([k, v]) => `${k} ${v.slice(0, 19)}…`))),
    row("tools", names(Object.entries(c.tools).map(([k, v]) => `${k}=${v}`))),
    row("definition", c.definition),
    ...changes(decision, term),
  ];
  const json = {
    signature: result.signature,
    should_run: decision.should_run,
    reason: decision.reason,
    skippable: result.skippable,
    store,
    inputs: {
      patterns: c.patterns,
      every_file: c.everyFile,
      files: c.files.map((f) => ({ path: f.path, mode: f.mode, oid: f.oid })),
      env: Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, v === null ? "unset" : "set"])),
      upstream: c.upstream,
      tools: c.tools,
      definition: c.definition,
    },
    changed: decision.details ?? null,
  };
  return { key: "signature", title: "Work signature", json, lines };
};

function names(list: string[]): string {
  return list.length === 0 ? "none" : list.join(", ");
}

/** What differs from the last pass, one line per kind of input. */
function changes(d: Decision, term: Terminal): string[] {
  const x = d.details;
  if (d.reason === "never_recorded") return [`  ${paint(term, "dim", "no pass of this variant is recorded yet")}`];
  if (!x?.last_signature) return [];
  const out = [`  changed since the pass of ${x.last_recorded_at ?? "?"} (${x.last_signature.slice(0, 19)}…):`];
  const list = (label: string, items: readonly string[] | undefined) => {
    if (items && items.length > 0) out.push(`    ${label}: ${items.join(", ")}`);
  };
  list("files added", x.files?.added);
  list("files removed", x.files?.removed);
  list("files changed", x.files?.changed);
  list("patterns added", x.patterns?.added);
  list("patterns removed", x.patterns?.removed);
  list("env", x.env);
  list("upstream", x.upstream);
  list("tools", x.tools);
  if (x.definition) out.push("    the job's definition (steps, runner, env, …)");
  if (x.salt) out.push("    the [signatures] salt");
  return out;
}
