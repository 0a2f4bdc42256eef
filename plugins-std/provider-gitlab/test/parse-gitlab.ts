/**
 * Reads a .gitlab-ci.yml that provider/gitlab rendered back into the neutral
 * job graph of the equivalence test — from the YAML text alone, without the
 * provider's code, so that a rendering bug cannot hide behind the same bug
 * in the reader.
 *
 * How the rendering is read (docs/providers/gitlab.md):
 * - **Jobs**: every top-level mapping that is not a GitLab keyword
 *   (workflow, stages, variables, default, …) or hidden (`.name`). The job
 *   name is the variant id; a name `<keyword>-job` (image-job) is the cig
 *   job `<keyword>`.
 * - **Matrix values**: the comment above the job, `# matrix of <job>: {JSON}`.
 *   No native `parallel: matrix` is rendered, so there is nothing to expand.
 * - **needs**: the names (or `job:` of a needs entry), mapped like job names, sorted.
 * - **Services**: each entry's image (`name`, or the string), sorted.
 * - **Condition**: `rules` read back into a portable condition: `- if: R`
 *   → R; `when: on_success|on_failure|always` → `success()|failure()|always()`
 *   leading an `&&`; `- if: R` + `when: never` followed by `- when: on_success` → `!(R)`.
 * - **Commands** — what is NOT a command of the graph's `run` steps:
 *   - `before_script`: only tool setup cig adds (Corepack, NodeSource, bundle install, store paths);
 *   - `script` / `after_script` entries whose comment line starts with `cig:`
 *     (a step rendered from a gitlab table, the `:` of a job without commands);
 *   - wrapper lines: a first line ending in `# cig: <what>` opens a wrapper
 *     whose last line closes it — `if …; then` … `fi`, `( cd … / export …` … `)`,
 *     `… bash -eo pipefail <<'DELIM'` … `DELIM` — peeled until the command itself remains.
 *   `after_script` entries (status-conditioned steps) follow the `script` ones.
 * - **Skip machinery** (docs/providers/gitlab.md#skipping-unchanged-jobs):
 *   the jobs `cig-signatures`, `cig-pipeline` (the committed bootstrap; see
 *   {@link isSignatureBootstrap}), `cig-record` and `cig-nothing-to-run` (the
 *   run-time child pipeline) are not jobs of the graph; a job's pass record
 *   is a `cig:` script line (skipped as above) plus an artifact path, and an
 *   event test in a child pipeline reads `$CIG_PIPELINE_SOURCE`.
 */
import { type Condition, formatCondition } from "@cig/sdk";
import { isMap, isScalar, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from "yaml";
import type { NeutralGraph, NeutralJob } from "../../../golden-tests/neutral-graph.js";

const KEYWORDS = new Set([
  "workflow",
  "stages",
  "variables",
  "default",
  "include",
  "image",
  "services",
  "cache",
  "before_script",
  "after_script",
  "spec",
  "types",
]);
// Job names provider/gitlab renames with "-job" because GitLab reserves them.
const RENAMED =
  /^(image|services|stages|types|before_script|after_script|variables|cache|include|default|workflow|spec|true|false|nil)-job$/;
const MARK = /\s#\s*cig:[^\n]*$/;
// The skip machinery's own jobs: provider/gitlab turns the machinery off for cig.toml jobs with these
// names, and a machinery job runs no graph command (a trigger, or only `cig:` lines).
const MACHINERY = new Set(["cig-signatures", "cig-pipeline", "cig-record", "cig-nothing-to-run"]);
const isMachinery = (name: string, job: YAMLMap) =>
  MACHINERY.has(name) && (job.has("trigger") || commandsOf(job.get("script", true)).length === 0);

/** The neutral graph of a rendered .gitlab-ci.yml, jobs sorted by id. */
export function parseGitlab(content: string): NeutralGraph {
  const doc = parseDocument(content);
  if (doc.errors.length > 0) throw new Error(`not valid YAML: ${doc.errors[0]?.message}`);
  const root = doc.contents;
  if (!isMap(root)) throw new Error("a .gitlab-ci.yml is a mapping");
  const jobs: NeutralJob[] = [];
  for (const pair of root.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : "";
    if (KEYWORDS.has(name) || name.startsWith(".") || !isMap(pair.value)) continue;
    const job = pair.value;
    if (isMachinery(name, job)) continue;
    jobs.push({
      id: variantId(name),
      needs: needsOf(job.get("needs", true)).sort(),
      commands: [...commandsOf(job.get("script", true)), ...commandsOf(job.get("after_script", true))],
      matrix: matrixOf(isScalar(pair.key) ? (pair.key.commentBefore ?? undefined) : undefined),
      services: servicesOf(job.get("services", true)).sort(),
      condition: conditionOf(job.get("rules", true)),
    });
  }
  return jobs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * True when the files are the committed bootstrap of the skip machinery —
 * a `cig-pipeline` job triggering the child pipeline that `cig-signatures`
 * renders — rather than a pipeline of the graph's jobs: the equivalence
 * test then reads the run-time pipeline (`cig compute-signatures --render
 * gitlab`) instead.
 */
export function isSignatureBootstrap(files: ReadonlyArray<{ content: string }>): boolean {
  return files.some((f) => {
    const root = parseDocument(f.content).contents;
    if (!isMap(root)) return false;
    const trigger = root.getIn(["cig-pipeline", "trigger"], true);
    const include = isMap(trigger) ? trigger.get("include", true) : undefined;
    return isSeq(include) && include.items.some((i) => isMap(i) && scalar(i.get("job", true)) === "cig-signatures");
  });
}

function variantId(name: string): string {
  return name.replace(RENAMED, "$1");
}

function needsOf(node: unknown): string[] {
  if (!isSeq(node)) return [];
  return node.items.map((n) => variantId(isMap(n) ? scalar(n.get("job", true)) : scalar(n)));
}

function servicesOf(node: unknown): string[] {
  if (!isSeq(node)) return [];
  return node.items.map((s) => (isMap(s) ? scalar(s.get("name", true)) : scalar(s)));
}

function matrixOf(comment: string | undefined): Record<string, string> {
  const line = (comment ?? "").split("\n").find((l) => /^\s*matrix of [^:]+: \{/.test(l));
  if (!line) return {};
  return JSON.parse(line.slice(line.indexOf(": {") + 2)) as Record<string, string>;
}

// Script entries of graph `run` steps, wrappers peeled.
function commandsOf(node: unknown): string[] {
  if (!isSeq(node)) return [];
  const seq = node as YAMLSeq;
  const out: string[] = [];
  seq.items.forEach((item, i) => {
    // The YAML reader attaches the first entry's comment to the list itself.
    const comment = ((isScalar(item) ? item.commentBefore : undefined) ?? (i === 0 ? seq.commentBefore : undefined) ?? "").trim();
    if (comment.split("\n").at(-1)?.trim().startsWith("cig:")) return;
    out.push(peel(scalar(item)));
  });
  return out;
}

function peel(text: string): string {
  let current = text;
  for (;;) {
    const lines = current.split("\n");
    const first = lines[0] ?? "";
    if (lines.length < 3 || !MARK.test(first)) return current;
    const last = lines.at(-1) ?? "";
    const opener = first.replace(MARK, "");
    const heredoc = /<<'([A-Z0-9_]+)'/.exec(opener);
    const closes =
      (opener.startsWith("if ") && last === "fi") || (opener.startsWith("( ") && last === ")") || (heredoc && last === heredoc[1]);
    if (!closes) return current;
    current = lines.slice(1, -1).join("\n");
  }
}

// --- rules → portable condition -------------------------------------------

const WHEN_STATUS: Readonly<Record<string, "success" | "failure" | "always">> = {
  on_success: "success",
  on_failure: "failure",
  always: "always",
};
const SUBJECTS: Readonly<Record<string, "branch" | "tag" | "event">> = {
  CI_COMMIT_BRANCH: "branch",
  CI_COMMIT_TAG: "tag",
  CI_PIPELINE_SOURCE: "event",
  // A child pipeline's event: its parent's $CI_PIPELINE_SOURCE, passed down by the trigger job.
  CIG_PIPELINE_SOURCE: "event",
};
const EVENTS: Readonly<Record<string, string>> = { push: "push", merge_request_event: "pull_request", schedule: "schedule", web: "manual" };

function conditionOf(node: unknown): string {
  if (!isSeq(node) || node.items.length === 0) return "";
  const rules = node.items.map((r) => (isMap(r) ? (r as YAMLMap) : undefined));
  const field = (i: number, key: string) => scalar(rules[i]?.get(key, true));
  if (rules.length === 2 && field(0, "when") === "never" && field(1, "when") === "on_success" && !rules[1]?.has("if")) {
    return formatCondition({ kind: "not", operand: expression(field(0, "if")) });
  }
  if (rules.length !== 1) throw new Error(`rules with ${rules.length} entries are not a cig rendering`);
  const status = WHEN_STATUS[field(0, "when")];
  const test = rules[0]?.has("if") ? expression(field(0, "if")) : undefined;
  const statusCond: Condition | undefined = status ? { kind: "status", status } : undefined;
  if (statusCond && test) return formatCondition({ kind: "and", left: statusCond, right: test });
  const only = statusCond ?? test;
  return only ? formatCondition(only) : "";
}

type Tok = { t: "var" | "op" | "str" | "re" | "paren"; v: string };

/** A GitLab CI expression (as provider/gitlab writes them) as a portable condition. */
export function expression(text: string): Condition {
  const toks: Tok[] = [];
  const re = /\s*(?:\$([A-Za-z_][A-Za-z0-9_]*)|(==|!=|=~|!~|&&|\|\|)|"([^"]*)"|'([^']*)'|\/((?:\\.|[^/\\])*)\/|([()]))/y;
  let pos = 0;
  while (pos < text.length && text.slice(pos).trim() !== "") {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new Error(`cannot read ${JSON.stringify(text.slice(pos))} in ${text}`);
    if (m[1] !== undefined) toks.push({ t: "var", v: m[1] });
    else if (m[2] !== undefined) toks.push({ t: "op", v: m[2] });
    else if (m[3] !== undefined || m[4] !== undefined) toks.push({ t: "str", v: m[3] ?? m[4] ?? "" });
    else if (m[5] !== undefined) toks.push({ t: "re", v: m[5] });
    else toks.push({ t: "paren", v: m[6] ?? "" });
    pos = re.lastIndex;
  }
  let i = 0;
  const or = (): Condition => {
    let left = and();
    while (toks[i]?.v === "||") {
      i++;
      left = { kind: "or", left, right: and() };
    }
    return left;
  };
  const and = (): Condition => {
    let left = atom();
    while (toks[i]?.v === "&&") {
      i++;
      left = { kind: "and", left, right: atom() };
    }
    return left;
  };
  const atom = (): Condition => {
    const tok = toks[i++];
    if (tok?.t === "paren" && tok.v === "(") {
      const inner = or();
      i++;
      return inner;
    }
    const op = toks[i++];
    const value = toks[i++];
    const subject = tok ? SUBJECTS[tok.v] : undefined;
    if (tok?.t !== "var" || !subject || !op || !value) throw new Error(`not a cig comparison in ${text}`);
    const raw = value.t === "re" ? regexGlob(value.v) : value.v;
    const v = subject === "event" ? (EVENTS[raw] ?? raw) : raw;
    return { kind: "compare", subject, op: op.v === "==" || op.v === "=~" ? "==" : "!=", value: v };
  };
  return or();
}

// /^release\/[^\/]*$/ → release/* (the inverse of the provider's glob translation).
function regexGlob(body: string): string {
  const inner = body.replace(/^\^/, "").replace(/\$$/, "");
  let out = "";
  for (let i = 0; i < inner.length; ) {
    if (inner.startsWith("[^\\/]*", i)) {
      out += "*";
      i += 6;
    } else if (inner.startsWith(".*", i)) {
      out += "**";
      i += 2;
    } else if (inner[i] === "\\") {
      out += inner[i + 1] ?? "";
      i += 2;
    } else {
      out += inner[i];
      i += 1;
    }
  }
  return out;
}

function scalar(node: unknown): string {
  return isScalar(node) ? String(node.value) : "";
}
