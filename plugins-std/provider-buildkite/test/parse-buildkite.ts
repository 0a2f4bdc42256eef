/**
 * Reads a rendered Buildkite pipeline back into the neutral job graph of the
 * semantic equivalence test, from the YAML text alone (nothing from src/), so
 * that it checks what the file says rather than what the renderer meant.
 *
 * How the file is read (docs/providers/buildkite.md is the contract):
 * - `$$` is Buildkite's escape for a literal `$`; every string is unescaped first.
 * - Each command step is one job variant. Its `key` is the variant id, with
 *   every byte outside `A-Za-z0-9_.-` written `:xx` (hex); `depends_on` keys
 *   decode the same way. Group steps are descended into.
 * - Matrix values come from the label, `<job> (axis=value, axis="quoted value")`.
 * - Commands: each `commands` entry is one job-script entry. Entries whose
 *   first line starts with `# cig: ` are the provider's own (the prelude, the
 *   epilogue, services, tool setup such as corepack or bundle install, and
 *   commands from provider tables) and are skipped. Every other entry is a
 *   `run` step of the graph in the wrapper
 *     `# <name>` / `if <guard>; then (` / `set -e…` / <command> / `); … fi`,
 *   and its command is the text between the third line and the last.
 * - Services: the `# cig: start services` entry's `docker run --detach` lines;
 *   the image is the last word before ` >/dev/null || cig_failed=1`.
 * - Condition: `allow_dependency_failure: true` is `always()`; `if` is read
 *   back from the Buildkite conditional forms the provider writes
 *   (branch: `(build.tag == null && build.branch == "x")` or `=~ /^glob-regex$/`;
 *   tag: `build.tag == "x"`; events: see BK_EVENTS below; `!=` as `!(…)`).
 * - The skip machinery is not the user's graph: the bootstrap step (its
 *   script starts `# cig: compute the work signatures`) and the run-time
 *   pipeline's "nothing to run" step (`# cig: nothing to run`) are left out;
 *   the entry recording a pass starts with `# cig: ` like every provider
 *   entry. A run-time pipeline's `depends_on` is read as written, already
 *   rewritten around skipped variants. {@link isSignatureBootstrap} tells the
 *   committed bootstrap from a pipeline of jobs.
 */
import { type Condition, formatCondition } from "@cig/sdk";
import { parse } from "yaml";
import type { NeutralGraph, NeutralJob } from "../../../golden-tests/neutral-graph.js";

const PROVIDER_MARK = "# cig: ";
const SERVICES_MARK = "# cig: start services";
const MACHINERY_MARKS = ["# cig: compute the work signatures", "# cig: nothing to run"];
const DOCKER_RUN = /^docker run --detach .* ('(?:[^']|'\\'')*'|\S+) >\/dev\/null \|\| cig_failed=1$/;

type Yaml = Record<string, unknown>;

/** The neutral jobs a rendered `.buildkite/pipeline.yml` describes, sorted by id. */
export function parseBuildkite(content: string): NeutralGraph {
  const doc = unescapeDollars(parse(content)) as Yaml | null;
  const steps: Yaml[] = [];
  const collect = (list: unknown) => {
    for (const s of Array.isArray(list) ? list : []) {
      if (typeof s !== "object" || s === null) continue;
      if ("group" in s) collect((s as Yaml).steps);
      else if ("commands" in s || "command" in s) steps.push(s as Yaml);
    }
  };
  collect(doc?.steps);
  const jobs = steps.filter((s) => !isMachinery(s)).map(neutralJob);
  return jobs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * True when the files are provider/buildkite's committed skip bootstrap:
 * each a pipeline whose only step computes the work signatures and uploads
 * the steps that run. Such a file holds none of the user's jobs; what it
 * uploads is `cig compute-signatures --render buildkite`, read back by
 * {@link parseBuildkite}. False for an empty list.
 */
export function isSignatureBootstrap(files: ReadonlyArray<string | { content: string }>): boolean {
  return files.length > 0 && files.every((f) => isBootstrapPipeline(typeof f === "string" ? f : f.content));
}

function isBootstrapPipeline(content: string): boolean {
  const doc = parse(content) as Yaml | null;
  const steps = Array.isArray(doc?.steps) ? (doc.steps as unknown[]) : [];
  return (
    steps.length === 1 &&
    typeof steps[0] === "object" &&
    steps[0] !== null &&
    firstEntry(steps[0] as Yaml).startsWith(MACHINERY_MARKS[0] as string)
  );
}

function isMachinery(step: Yaml): boolean {
  const first = firstEntry(step);
  return MACHINERY_MARKS.some((m) => first.startsWith(m));
}

function firstEntry(step: Yaml): string {
  return String(([] as unknown[]).concat(step.commands ?? step.command ?? [])[0] ?? "");
}

function neutralJob(step: Yaml): NeutralJob {
  const entries = ([] as unknown[]).concat(step.commands ?? step.command ?? []).map(String);
  const dependsOn = ([] as unknown[])
    .concat(step.depends_on ?? [])
    .map((d) => (typeof d === "object" && d !== null ? String((d as Yaml).step) : String(d)));
  const services = entries.filter((e) => e.startsWith(SERVICES_MARK)).flatMap((e) => e.split("\n").flatMap((l) => image(l)));
  const conditions: Condition[] = [];
  if (step.allow_dependency_failure === true || step.allow_dependency_failure === "true")
    conditions.push({ kind: "status", status: "always" });
  if (typeof step.if === "string") conditions.push(readIf(step.if));
  return {
    id: decodeKey(String(step.key ?? "")),
    needs: dependsOn.map(decodeKey).sort(),
    commands: entries.filter((e) => !e.startsWith(PROVIDER_MARK)).map(runCommand),
    matrix: matrixOf(String(step.label ?? "")),
    services: services.sort(),
    condition: conditions.length === 0 ? "" : formatCondition(conditions.reduce((left, right) => ({ kind: "and", left, right }))),
  };
}

/** The command inside a run-step wrapper: everything between its third line and its last. */
function runCommand(entry: string): string {
  let at = 0;
  for (let n = 0; n < 3; n++) at = entry.indexOf("\n", at) + 1;
  return entry.slice(at, entry.lastIndexOf("\n"));
}

function image(line: string): string[] {
  const m = DOCKER_RUN.exec(line);
  if (!m) return [];
  const word = m[1] as string;
  return [word.startsWith("'") ? word.slice(1, -1).replace(/'\\''/g, "'") : word];
}

function decodeKey(key: string): string {
  return key.replace(/(?::[0-9a-f]{2})+/g, (run) =>
    Buffer.from(
      run
        .split(":")
        .slice(1)
        .map((h) => Number.parseInt(h, 16)),
    ).toString("utf8"),
  );
}

// "test (ruby=3.2, os=\"a, b\")" → { ruby: "3.2", os: "a, b" }.
function matrixOf(label: string): Record<string, string> {
  const open = label.indexOf(" (");
  if (open < 0 || !label.endsWith(")")) return {};
  const body = label.slice(open + 2, -1);
  const out: Record<string, string> = {};
  const re = /([A-Za-z_][A-Za-z0-9_-]*)=("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/y;
  let m: RegExpExecArray | null = re.exec(body);
  while (m) {
    const raw = m[2] as string;
    out[m[1] as string] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    if (re.lastIndex >= body.length) break;
    m = re.exec(body);
  }
  return out;
}

function unescapeDollars(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/\$\$/g, "$");
  if (Array.isArray(value)) return value.map(unescapeDollars);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeDollars(v)]));
  return value;
}

// ---- The Buildkite conditionals the provider writes, back to portable conditions.

type Tok = { t: "op" | "id" | "str" | "re" | "null"; v: string };
type Bk = { k: "cmp"; id: string; op: string; v: Tok } | { k: "not"; x: Bk } | { k: "and" | "or"; l: Bk; r: Bk };

const BK_EVENTS: Record<string, string> = {
  '(build.source == "webhook" && build.pull_request.id == null)': "push",
  "build.pull_request.id != null": "pull_request",
  'build.source == "schedule"': "schedule",
  'build.source == "ui"': "manual",
};

function tokens(text: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:(&&|\|\||==|!=|=~|!|\(|\))|(null)\b|(build(?:\.[a-z_]+)+)|"((?:[^"\\]|\\.)*)"|\/((?:[^/\\]|\\.)*)\/)/y;
  let pos = 0;
  while (pos < text.trimEnd().length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new Error(`unreadable Buildkite condition at ${pos}: ${text}`);
    if (m[1]) out.push({ t: "op", v: m[1] });
    else if (m[2]) out.push({ t: "null", v: "null" });
    else if (m[3]) out.push({ t: "id", v: m[3] });
    else if (m[4] !== undefined) out.push({ t: "str", v: m[4].replace(/\\(.)/g, "$1") });
    else out.push({ t: "re", v: m[5] ?? "" });
    pos = re.lastIndex;
  }
  return out;
}

function readIf(text: string): Condition {
  const toks = tokens(text);
  let i = 0;
  const isOp = (v: string) => toks[i]?.t === "op" && toks[i]?.v === v;
  const or = (): Bk => {
    let l = and();
    while (isOp("||")) {
      i++;
      l = { k: "or", l, r: and() };
    }
    return l;
  };
  const and = (): Bk => {
    let l = unary();
    while (isOp("&&")) {
      i++;
      l = { k: "and", l, r: unary() };
    }
    return l;
  };
  const unary = (): Bk => {
    if (isOp("!")) {
      i++;
      return { k: "not", x: unary() };
    }
    if (isOp("(")) {
      i++;
      const inner = or();
      i++; // ")"
      return inner;
    }
    const id = toks[i++]?.v ?? "";
    const op = toks[i++]?.v ?? "";
    const v = toks[i++] ?? { t: "null", v: "null" };
    return { k: "cmp", id, op, v };
  };
  return portable(or());
}

function show(b: Bk): string {
  if (b.k === "cmp") return `${b.id} ${b.op} ${b.v.t === "str" ? JSON.stringify(b.v.v) : b.v.t === "re" ? `/${b.v.v}/` : b.v.v}`;
  if (b.k === "not") return `!(${show(b.x)})`;
  return `(${show(b.l)} ${b.k === "and" ? "&&" : "||"} ${show(b.r)})`;
}

function value(t: Tok): string {
  return t.t === "re" ? regexToGlob(t.v) : t.v;
}

function portable(b: Bk): Condition {
  const event = BK_EVENTS[show(b)] ?? (b.k === "cmp" ? BK_EVENTS[show(b)] : undefined);
  if (event) return { kind: "compare", subject: "event", op: "==", value: event };
  if (b.k === "cmp" && b.id === "build.pull_request.id" && b.op === "!=")
    return { kind: "compare", subject: "event", op: "==", value: "pull_request" };
  if (b.k === "cmp" && b.id === "build.source" && b.op === "==") {
    const name = b.v.v === "ui" ? "manual" : b.v.v;
    return { kind: "compare", subject: "event", op: "==", value: name };
  }
  if (b.k === "cmp" && b.id === "build.tag") return { kind: "compare", subject: "tag", op: "==", value: value(b.v) };
  if (b.k === "and" && b.l.k === "cmp" && b.l.id === "build.tag" && b.l.v.t === "null" && b.r.k === "cmp" && b.r.id === "build.branch") {
    return { kind: "compare", subject: "branch", op: "==", value: value(b.r.v) };
  }
  if (b.k === "and" && show(b) === '(build.source == "webhook" && build.pull_request.id == null)') {
    return { kind: "compare", subject: "event", op: "==", value: "push" };
  }
  if (b.k === "not") {
    const inner = portable(b.x);
    return inner.kind === "compare" && inner.op === "==" ? { ...inner, op: "!=" } : { kind: "not", operand: inner };
  }
  if (b.k === "and" || b.k === "or") return { kind: b.k, left: portable(b.l), right: portable(b.r) };
  throw new Error(`not a condition provider/buildkite writes: ${show(b)}`);
}

// The provider's glob regexes: ^…$, `.*` for **, `[^/]*` for *, other characters backslash-escaped.
function regexToGlob(re: string): string {
  return re
    .replace(/^\^/, "")
    .replace(/\$$/, "")
    .replace(/\.\*|\[\^\\?\/\]\*|\\(.)/g, (m, ch: string | undefined) => (m === ".*" ? "**" : m.startsWith("[") ? "*" : (ch ?? "")));
}
