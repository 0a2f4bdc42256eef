/**
 * Reads a rendered Jenkinsfile back into the neutral job graph, without
 * provider/jenkins' own code: a small tokenizer for the Groovy subset the
 * provider writes (`pipeline { agent … stages { stage('…') { … } } }`),
 * robust to anything inside string literals.
 *
 * How the provider's text is read (docs/providers/jenkins.md, "Reading it back"):
 * - each `stage('<id>')` with `steps` is a job; a stage with `parallel { }`
 *   only groups the stages inside it;
 * - `// cig: needs a, b` (or a JSON list) and `// cig: matrix {…}` comments
 *   at the top of the stage are its needs and matrix cell;
 * - commands are the `sh`, `bat`, `pwsh` and `powershell` calls inside
 *   `steps` and `post`, in text order (post blocks are written in the order
 *   Jenkins runs them), except those right after a `// cig: provider step`
 *   comment (or after it and `<type> <name> =`), which the provider added (checkout is `checkout`, never `sh`;
 *   tool setup and the service health wait are marked). After
 *   `// cig: shell prefix` the script's first line (a `#!` the provider
 *   added for `shell`) is dropped;
 * - services are the images of `docker.image('…').withRun(…)`;
 * - the condition is the stage's `when` read back into the portable
 *   language; a `when` that is not a translation (a jenkins table's own)
 *   reads as "";
 * - the skip machinery (docs: "Skipping unchanged jobs") is not the user's
 *   graph: the `cig signatures` stage is no job, a `when` line
 *   `expression { return cigRun['<the stage's own id>'] != 'skip' }` is no
 *   condition, and the `cig record-pass` call in `post { success { } }` is a
 *   provider step. {@link readSkipMachinery} reads the machinery itself.
 */
import { type Condition, formatCondition } from "@cig/sdk";
import type { NeutralGraph, NeutralJob } from "../../../golden-tests/neutral-graph.js";

/** A token; `q` is the quote a string literal was written with. */
export type Token = { t: "str" | "id" | "num" | "punct" | "comment"; v: string; q?: string };

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" };

/** Groovy tokens; strings decoded, comments kept (the provider's markers live there). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) i++;
    else if (text.startsWith("//", i)) {
      const end = text.indexOf("\n", i);
      out.push({ t: "comment", v: text.slice(i + 2, end < 0 ? text.length : end).trim() });
      i = end < 0 ? text.length : end;
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) throw new Error("unterminated block comment");
      i = end + 2;
    } else if (ch === "'" || ch === '"') {
      const quote = text.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      let j = i + quote.length;
      let value = "";
      for (;;) {
        if (j >= text.length) throw new Error(`unterminated string at offset ${i}`);
        if (text.startsWith(quote, j)) break;
        const c = text[j] as string;
        if (c === "\n" && quote.length === 1) throw new Error(`newline in a one-line string at offset ${i}`);
        if (c === "\\") {
          const e = text[j + 1] as string;
          if (e === "u") {
            value += String.fromCharCode(Number.parseInt(text.slice(j + 2, j + 6), 16));
            j += 6;
          } else {
            value += ESCAPES[e] ?? e;
            j += 2;
          }
        } else {
          value += c;
          j++;
        }
      }
      out.push({ t: "str", v: value, q: quote });
      i = j + quote.length;
    } else if (/[A-Za-z_$]/.test(ch)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i)) as RegExpExecArray;
      out.push({ t: "id", v: m[0] });
      i += m[0].length;
    } else if (/\d/.test(ch)) {
      const m = /^\d+(\.\d+)?/.exec(text.slice(i)) as RegExpExecArray;
      out.push({ t: "num", v: m[0] });
      i += m[0].length;
    } else {
      const m = /^(==~|==|!=|->|&&|\|\||\?:|[{}()[\],:;+=.!<>?*/&|@-])/.exec(text.slice(i));
      if (!m) throw new Error(`unexpected ${JSON.stringify(ch)} at offset ${i}`);
      out.push({ t: "punct", v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

/** Index of the token closing the bracket at `open`. */
function closing(tokens: readonly Token[], open: number): number {
  const pairs: Record<string, string> = { "{": "}", "(": ")", "[": "]" };
  const stack: string[] = [];
  for (let i = open; i < tokens.length; i++) {
    const tok = tokens[i] as Token;
    if (tok.t !== "punct") continue;
    if (pairs[tok.v]) stack.push(pairs[tok.v] as string);
    else if (tok.v === "}" || tok.v === ")" || tok.v === "]") {
      if (stack.pop() !== tok.v) throw new Error(`unbalanced ${tok.v}`);
      if (stack.length === 0) return i;
    }
  }
  throw new Error("unclosed bracket");
}

/** `name {` blocks directly inside [from, to): name → [first, last) token range of the body. */
function blocks(tokens: readonly Token[], from: number, to: number): Array<{ name: string; args: Token[]; body: [number, number] }> {
  const found: Array<{ name: string; args: Token[]; body: [number, number] }> = [];
  for (let i = from; i < to; i++) {
    const tok = tokens[i] as Token;
    if (tok.t === "punct" && (tok.v === "{" || tok.v === "(" || tok.v === "[")) {
      i = closing(tokens, i);
      continue;
    }
    if (tok.t !== "id") continue;
    let j = i + 1;
    let args: Token[] = [];
    if (tokens[j]?.v === "(") {
      const end = closing(tokens, j);
      args = tokens.slice(j + 1, end);
      j = end + 1;
    }
    if (tokens[j]?.t === "punct" && tokens[j]?.v === "{") {
      const end = closing(tokens, j);
      found.push({ name: tok.v, args, body: [j + 1, end] });
      i = end;
    }
  }
  return found;
}

/** The name of the stage that computes work signatures: no job. */
export const SIGNATURES_STAGE = "cig signatures";

/** The rendered Jenkinsfile as neutral jobs, sorted by id. Throws on text it cannot read. */
export function parseJenkins(content: string): NeutralGraph {
  return readPipeline(content).jobs.map((j) => j.job);
}

/** The skip machinery of a rendered Jenkinsfile, read back (empty when it has none). */
export interface SkipMachineryReadBack {
  /** The top-level statements before `pipeline {`, tokens joined by spaces (`@ groovy . transform . Field def cigRun = [ : ]`, …). */
  preamble: string[];
  /** The script of the `cig signatures` stage's `sh`, when the stage exists. */
  computeScript: string | undefined;
  /** Ids of the stages whose `when` checks `cigRun` for their own id, sorted. */
  checked: string[];
  /** Stage id → the script of its `cig record-pass` call in `post { success { } }`, run with the stage's own `cigSig` entry. */
  recorded: Record<string, string>;
}

/** Reads the skip machinery back: which stages check and record, and the commands. Throws on text it cannot read. */
export function readSkipMachinery(content: string): SkipMachineryReadBack {
  const { tokens, pipelineAt, jobs, computeScript } = readPipeline(content);
  const preamble: string[] = [];
  let statement: Token[] = [];
  for (const tok of tokens.slice(0, pipelineAt)) {
    if (tok.t === "comment") continue;
    statement.push(tok);
    // The provider writes one statement per line, each ending in `]` (a map literal).
    if (tok.v === "]") {
      preamble.push(statement.map((t) => (t.t === "str" ? `'${t.v}'` : t.v)).join(" "));
      statement = [];
    }
  }
  const recorded: Record<string, string> = {};
  for (const j of jobs) if (j.record !== undefined) recorded[j.job.id] = j.record;
  return { preamble, computeScript, checked: jobs.filter((j) => j.checked).map((j) => j.job.id), recorded };
}

interface ReadJob {
  job: NeutralJob;
  /** The `when` had the skip check for this stage's id. */
  checked: boolean;
  /** The `cig record-pass` script of `post { success { } }`. */
  record: string | undefined;
}

function readPipeline(content: string): { tokens: Token[]; pipelineAt: number; jobs: ReadJob[]; computeScript: string | undefined } {
  const tokens = tokenize(content);
  const pipeline = blocks(tokens, 0, tokens.length).find((b) => b.name === "pipeline");
  if (!pipeline) throw new Error("no pipeline { } block");
  const stages = blocks(tokens, ...pipeline.body).find((b) => b.name === "stages");
  if (!stages) throw new Error("no stages { } block in the pipeline");
  const jobs: ReadJob[] = [];
  const compute: string[] = [];
  readStages(tokens, stages.body, jobs, compute);
  jobs.sort((a, b) => (a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0));
  return { tokens, pipelineAt: pipeline.body[0] - 2, jobs, computeScript: compute[0] };
}

function readStages(tokens: readonly Token[], [from, to]: [number, number], jobs: ReadJob[], compute: string[]): void {
  for (const stage of blocks(tokens, from, to)) {
    if (stage.name !== "stage" || stage.args.length !== 1 || stage.args[0]?.t !== "str")
      throw new Error(`expected stage('…'), got ${stage.name}`);
    const inner = blocks(tokens, ...stage.body);
    const parallel = inner.find((b) => b.name === "parallel");
    if (stage.args[0].v === SIGNATURES_STAGE) compute.push(...shScripts(tokens, stage.body));
    else if (parallel) readStages(tokens, parallel.body, jobs, compute);
    else jobs.push(readJob(tokens, stage.args[0].v, stage.body, inner));
  }
}

// The `script:` literal of every `sh(…)` call in [from, to).
function shScripts(tokens: readonly Token[], [from, to]: [number, number]): string[] {
  const scripts: string[] = [];
  for (let i = from; i < to; i++) {
    if (tokens[i]?.v !== "sh" || tokens[i + 1]?.v !== "(") continue;
    const end = closing(tokens, i + 1);
    for (let j = i + 2; j < end; j++) if (tokens[j]?.v === "script" && tokens[j + 1]?.v === ":") scripts.push((tokens[j + 2] as Token).v);
  }
  return scripts;
}

// `post { success { script { if (cigSig['<id>']) { withEnv(['CIG_SIG=' + cigSig['<id>']]) { int cigStatus = sh(label: 'cig record-pass', returnStatus: true, script: '…') … } } } } }`.
function readRecord(tokens: readonly Token[], id: string, inner: ReturnType<typeof blocks>): string | undefined {
  const post = inner.find((b) => b.name === "post");
  const success = post && blocks(tokens, ...post.body).find((b) => b.name === "success");
  if (!success) return undefined;
  const [from, to] = success.body;
  for (let i = from; i < to; i++) {
    if (tokens[i]?.v !== "sh" || tokens[i + 2]?.v !== "label" || tokens[i + 4]?.v !== "cig record-pass") continue;
    // The signature map entries read before the call must all be this stage's own.
    const keys = tokens.slice(from, i).flatMap((t, k, all) => (t.v === "cigSig" && all[k + 1]?.v === "[" ? [all[k + 2]?.v] : []));
    if (keys.length !== 2 || keys.some((k) => k !== id))
      throw new Error(`${id}: record-pass reads the signature of ${JSON.stringify(keys)}`);
    return shScripts(tokens, [i, to])[0];
  }
  return undefined;
}

function readJob(tokens: readonly Token[], id: string, [from, to]: [number, number], inner: ReturnType<typeof blocks>): ReadJob {
  const job: NeutralJob = { id, needs: [], commands: [], matrix: {}, services: [], condition: "" };
  const read: ReadJob = { job, checked: false, record: readRecord(tokens, id, inner) };
  for (let i = from; i < to && tokens[i]?.t === "comment"; i++) {
    const text = (tokens[i] as Token).v;
    if (text.startsWith("cig: needs ")) {
      const list = text.slice("cig: needs ".length);
      job.needs = (list.startsWith("[") ? (JSON.parse(list) as string[]) : list.split(", ")).sort();
    } else if (text.startsWith("cig: matrix ")) job.matrix = JSON.parse(text.slice("cig: matrix ".length)) as Record<string, string>;
  }
  for (const b of inner.filter((x) => x.name === "steps" || x.name === "post")) readCommands(tokens, b.body, job);
  const when = inner.find((b) => b.name === "when");
  if (when) {
    const c = readConditions(tokens, when.body, "and", {
      id,
      found: () => {
        read.checked = true;
      },
    });
    job.condition = c ? formatCondition(c) : "";
  }
  job.services.sort();
  return read;
}

const SHELL_STEPS = new Set(["sh", "bat", "pwsh", "powershell"]);

function readCommands(tokens: readonly Token[], [from, to]: [number, number], job: NeutralJob): void {
  for (let i = from; i < to; i++) {
    const tok = tokens[i] as Token;
    if (
      tok.t === "id" &&
      tok.v === "docker" &&
      tokens[i + 2]?.v === "image" &&
      tokens[i + 4]?.t === "str" &&
      tokens[i + 7]?.v === "withRun"
    ) {
      job.services.push((tokens[i + 4] as Token).v);
    }
    if (tok.t !== "id" || !SHELL_STEPS.has(tok.v) || tokens[i - 1]?.v === ".") continue;
    const marker = markerBefore(tokens, i);
    let script: string | undefined;
    if (tokens[i + 1]?.t === "str") script = (tokens[i + 1] as Token).v;
    else if (tokens[i + 1]?.v === "(") {
      const end = closing(tokens, i + 1);
      for (let j = i + 2; j < end; j++) {
        if (tokens[j]?.v === "script" && tokens[j + 1]?.v === ":") {
          const next = tokens[j + 3]?.v;
          if (tokens[j + 2]?.t === "str" && (next === "," || next === ")")) script = (tokens[j + 2] as Token).v;
          else if (marker !== "cig: provider step") throw new Error(`${job.id}: an sh script that is not one literal`);
        }
      }
    }
    if (script === undefined || marker === "cig: provider step") continue;
    job.commands.push(marker === "cig: shell prefix" ? script.slice(script.indexOf("\n") + 1) : script);
  }
}

// The comment before the statement of the call at `i`: right before it, or before `<type> <name> =` when its result is kept.
function markerBefore(tokens: readonly Token[], i: number): string | undefined {
  let k = i - 1;
  if (tokens[k]?.v === "=" && tokens[k - 1]?.t === "id" && tokens[k - 2]?.t === "id") k -= 3;
  return tokens[k]?.t === "comment" ? tokens[k]?.v : undefined;
}

/**
 * The conditions of a `when` (or allOf/anyOf/not) body, ANDed; undefined when one is not a translation.
 * `skip` (top level of a `when` only): the stage whose skip check is dropped there, and what to call when found.
 */
function readConditions(
  tokens: readonly Token[],
  [from, to]: [number, number],
  join: "and" | "or" = "and",
  skip?: { id: string; found: () => void },
): Condition | undefined {
  const parts: Condition[] = [];
  for (let i = from; i < to; ) {
    const tok = tokens[i] as Token;
    const next = tokens[i + 1];
    if (tok.v === "beforeAgent") i += 2;
    else if (skip && tok.v === "expression" && isSkipCheck(tokens.slice(i + 2, closing(tokens, i + 1)), skip.id)) {
      skip.found();
      i = closing(tokens, i + 1) + 1;
    } else if ((tok.v === "branch" || tok.v === "tag") && next?.t === "str") {
      parts.push({ kind: "compare", subject: tok.v, op: "==", value: next.v });
      i += 2;
    } else if ((tok.v === "branch" || tok.v === "tag") && next?.v === "pattern") {
      // branch pattern: '<regex>', comparator: 'REGEXP'
      parts.push({ kind: "compare", subject: tok.v, op: "==", value: regexToGlob((tokens[i + 3] as Token).v) });
      i += 8;
    } else if (tok.v === "changeRequest") {
      parts.push({ kind: "compare", subject: "event", op: "==", value: "pull_request" });
      i += 3;
    } else if (tok.v === "triggeredBy" && next?.t === "str" && next.v === "TimerTrigger") {
      parts.push({ kind: "compare", subject: "event", op: "==", value: "schedule" });
      i += 2;
    } else if (tok.v === "triggeredBy" && next?.v === "cause" && tokens[i + 3]?.v === "UserIdCause") {
      parts.push({ kind: "compare", subject: "event", op: "==", value: "manual" });
      i += 4;
    } else if ((tok.v === "not" || tok.v === "allOf" || tok.v === "anyOf" || tok.v === "expression") && next?.v === "{") {
      const end = closing(tokens, i + 1);
      const c = tok.v === "expression" ? statusExpression(tokens.slice(i + 2, end)) : readGroup(tokens, tok.v, [i + 2, end]);
      if (!c) return undefined;
      parts.push(c);
      i = end + 1;
    } else return undefined;
  }
  return parts.reduce<Condition | undefined>((acc, c) => (acc ? { kind: join, left: acc, right: c } : c), undefined);
}

function readGroup(tokens: readonly Token[], name: string, body: [number, number]): Condition | undefined {
  if (name === "not") {
    const operand = readConditions(tokens, body);
    if (!operand) return undefined;
    if (operand.kind === "compare" && operand.op === "==") return { ...operand, op: "!=" };
    return { kind: "not", operand };
  }
  const c = readConditions(tokens, body, name === "allOf" ? "and" : "or");
  // allOf { not changeRequest, not timer, not manual }: the provider's spelling of event == 'push'.
  if (c && formatCondition(c) === "event != 'pull_request' && event != 'schedule' && event != 'manual'") {
    return { kind: "compare", subject: "event", op: "==", value: "push" };
  }
  return c;
}

// `return cigRun['<id>'] != 'skip'`: the skip machinery's check, for this stage's own id only.
function isSkipCheck(body: readonly Token[], id: string): boolean {
  const text = body.map((t) => (t.t === "str" ? `'${t.v}'` : t.v)).join(" ");
  return body[3]?.t === "str" && body[3].v === id && text === `return cigRun [ '${id}' ] != 'skip'`;
}

function statusExpression(body: readonly Token[]): Condition | undefined {
  const text = body.map((t) => (t.t === "str" ? `'${t.v}'` : t.v)).join(" ");
  if (text === "return true") return { kind: "status", status: "always" };
  const m = /^return currentBuild \. currentResult == '(SUCCESS|FAILURE|ABORTED)'$/.exec(text);
  if (!m) return undefined;
  return { kind: "status", status: m[1] === "SUCCESS" ? "success" : m[1] === "FAILURE" ? "failure" : "cancelled" };
}

/** The provider's glob-to-regex translation, reversed. */
function regexToGlob(regex: string): string {
  return regex.replace(/\.\*|\[\^\/\]\*|\\(.)/g, (m, escaped: string | undefined) =>
    escaped !== undefined ? escaped : m === ".*" ? "**" : "*",
  );
}
