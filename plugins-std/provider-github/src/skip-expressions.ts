// The GitHub expressions of the skip machinery (docs/providers/github.md,
// "Skipping unchanged jobs"). Job ids and outputs are fixed here so the
// bootstrap job, the gated jobs and the aggregator cannot drift apart.

/** The bootstrap job that computes signatures and probes the pass caches. */
export const SIGNATURES_JOB = "cig-signatures";
/** The aggregator job: records passes, fails when anything failed; the one required check. */
export const RESULT_JOB = "cig-result";
/** The bootstrap's compute step (`steps.sigs.outputs.decisions`). */
export const SIGS_STEP = "sigs";

/**
 * What replaces GitHub's implicit `success()` on a job downstream of a
 * skippable one: by default a job whose need was skipped is skipped too, so
 * "nothing failed and nothing was cancelled" is the test instead. The
 * `needs.*` tests see direct needs only; `failure()` is true when any
 * ancestor failed, so a failure two levels up — whose dependant was then
 * skipped, not failed — still stops the job.
 */
export const ROBUST_STATUS = "!cancelled() && !failure() && !contains(needs.*.result, 'failure') && !contains(needs.*.result, 'cancelled')";

// Status functions are case-insensitive in GitHub expressions.
const STATUS_FUNCTION = /\b(?:success|failure|always|cancelled)\s*\(\s*\)/i;
const SUCCESS = /\bsuccess\s*\(\s*\)/gi;
const WRAPPED = /^\$\{\{([\s\S]*)\}\}$/;

/** `s` as a single-quoted expression literal. */
export function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The bootstrap job's output saying whether the GitHub job `githubId` runs ("true"/"false"). */
export function runOutput(githubId: string): string {
  return `run-${githubId}`;
}

/** The id of the bootstrap step probing the cache for the GitHub job `githubId`. */
export function probeStep(githubId: string): string {
  return `probe-${githubId}`;
}

/** `fromJSON(<json>)['<id>']`: one entry of the decisions JSON (`mode`, `signature`, `key`, `reason`). */
export function decision(json: string, id: string): string {
  return `fromJSON(${json})[${literal(id)}]`;
}

/** The decisions JSON inside the bootstrap job. */
export const DECISIONS_IN_BOOTSTRAP = `steps.${SIGS_STEP}.outputs.decisions`;
/** The decisions JSON in every later job. */
export const DECISIONS_IN_NEEDS = `needs.${SIGNATURES_JOB}.outputs.decisions`;

/**
 * The job-level `if` of a job the machinery touches. `gate` (skippable jobs
 * only) is the bootstrap's verdict; `own` is the job's own condition as
 * rendered. Without a status function in `own`, {@link ROBUST_STATUS} leads
 * and `own` follows in parentheses. With one (`always()`, `failure()`, …)
 * the user already decides how upstream results count, so no prefix is
 * added; a `success()` in it would be false after a skipped need and becomes
 * the robust test. Written as `${{ … }}`: a bare `if:` starting with `!`
 * is a YAML tag, and GitHub's documentation asks for the wrapper there.
 */
export function robustCondition(own: string, gate?: string): string {
  const inner = unwrap(own);
  const gates = gate ? [gate] : [];
  if (inner === "") return wrap([ROBUST_STATUS, ...gates]);
  if (!outsideLiterals(inner).some((code) => STATUS_FUNCTION.test(code))) return wrap([ROBUST_STATUS, ...gates, parenthesized(inner)]);
  const rewritten = mapOutsideLiterals(inner, (code) => code.replace(SUCCESS, `(${ROBUST_STATUS})`));
  if (!gate) return rewritten === inner ? own : wrap([rewritten]);
  return wrap([gate, parenthesized(rewritten)]);
}

function wrap(parts: string[]): string {
  return `\${{ ${parts.join(" && ")} }}`;
}

/** The expression inside one `${{ … }}` that spans the whole text, else the text, trimmed. */
function unwrap(text: string): string {
  const t = text.trim();
  const m = WRAPPED.exec(t);
  return m && !(m[1] as string).includes("${{") ? (m[1] as string).trim() : t;
}

/** `(expr)`, unless one pair of parentheses already encloses all of it. */
export function parenthesized(expr: string): string {
  if (!expr.startsWith("(")) return `(${expr})`;
  let depth = 0;
  let inLiteral = false;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i];
    // '' (an escaped quote) toggles twice.
    if (ch === "'") inLiteral = !inLiteral;
    else if (inLiteral) continue;
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0 && i < expr.length - 1) return `(${expr})`;
  }
  return expr;
}

// The parts of an expression outside its '…' string literals, so that a
// status function named inside a branch name is not taken for a call.
function outsideLiterals(expr: string): string[] {
  return expr.split(/'(?:[^']|'')*'/);
}

function mapOutsideLiterals(expr: string, f: (code: string) => string): string {
  return expr
    .split(/('(?:[^']|'')*')/)
    .map((part, i) => (i % 2 === 0 ? f(part) : part))
    .join("");
}
