/**
 * Portable conditions: the small `if` language every provider translates
 * (docs/providers/common.md#conditions). Anything else is a native
 * condition, which only the provider whose syntax it is can take as written.
 */
export type Condition =
  | { kind: "status"; status: "success" | "failure" | "always" | "cancelled" }
  | { kind: "compare"; subject: "branch" | "tag" | "event"; op: "==" | "!="; value: string }
  | { kind: "not"; operand: Condition }
  | { kind: "and" | "or"; left: Condition; right: Condition };

/** Events a portable `event == '…'` may name. */
export const PORTABLE_EVENTS = ["push", "pull_request", "schedule", "manual"] as const;

export type ParsedCondition = { portable: true; condition: Condition } | { portable: false; reason: string };

type Token = { t: "op" | "word" | "str"; v: string; at: number };

const TOKEN = /\s*(?:(\|\||&&|==|!=|!|\(|\))|([A-Za-z_][A-Za-z0-9_]*(?:\(\))?)|'((?:[^']|'')*)'|"([^"\\]*)")/y;

function tokenize(text: string): Token[] | string {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) return `unexpected ${JSON.stringify(text.slice(pos).trim().slice(0, 12))} at column ${pos + 1}`;
    const at = pos + (m[0].length - m[0].trimStart().length);
    if (m[1] !== undefined) out.push({ t: "op", v: m[1], at });
    else if (m[2] !== undefined) out.push({ t: "word", v: m[2], at });
    else out.push({ t: "str", v: m[3] !== undefined ? m[3].replace(/''/g, "'") : (m[4] ?? ""), at });
    pos = TOKEN.lastIndex;
  }
  return out;
}

/**
 * Parses `text` as a portable condition. Never throws: text outside the
 * language (a GitHub expression, a GitLab rule) comes back `portable: false`
 * with the reason, for the provider to take as native or to report.
 */
export function parseCondition(text: string): ParsedCondition {
  const tokens = tokenize(text);
  if (typeof tokens === "string") return { portable: false, reason: tokens };
  if (tokens.length === 0) return { portable: false, reason: "empty condition" };
  let i = 0;
  const fail = (why: string): never => {
    throw new SyntaxError(why);
  };
  const peek = () => tokens[i];
  const isOp = (v: string) => peek()?.t === "op" && peek()?.v === v;
  const or = (): Condition => {
    let left = and();
    while (isOp("||")) {
      i++;
      left = { kind: "or", left, right: and() };
    }
    return left;
  };
  const and = (): Condition => {
    let left = unary();
    while (isOp("&&")) {
      i++;
      left = { kind: "and", left, right: unary() };
    }
    return left;
  };
  const unary = (): Condition => {
    const tok = tokens[i++];
    if (!tok) return fail("the condition ends too early");
    if (tok.t === "op" && tok.v === "!") return { kind: "not", operand: unary() };
    if (tok.t === "op" && tok.v === "(") {
      const inner = or();
      if (!isOp(")")) fail(`missing ) for the ( at column ${tok.at + 1}`);
      i++;
      return inner;
    }
    if (tok.t === "word" && /^(success|failure|always|cancelled)\(\)$/.test(tok.v)) {
      return { kind: "status", status: tok.v.slice(0, -2) as "success" };
    }
    if (tok.t === "word" && (tok.v === "branch" || tok.v === "tag" || tok.v === "event")) {
      const op = tokens[i++];
      const value = tokens[i++];
      if (!op || op.t !== "op" || (op.v !== "==" && op.v !== "!=")) return fail(`${tok.v} must be followed by == or !=`);
      if (!value || value.t !== "str") return fail(`${tok.v} ${op.v} needs a quoted string`);
      if (tok.v === "event" && !(PORTABLE_EVENTS as readonly string[]).includes(value.v)) {
        return fail(`unknown event '${value.v}' (portable events: ${PORTABLE_EVENTS.join(", ")})`);
      }
      return { kind: "compare", subject: tok.v, op: op.v, value: value.v };
    }
    return fail(`${JSON.stringify(tok.v)} at column ${tok.at + 1} is not part of the portable condition language`);
  };
  try {
    const condition = or();
    if (i < tokens.length) fail(`unexpected ${JSON.stringify(tokens[i]?.v)} at column ${(tokens[i]?.at ?? 0) + 1}`);
    return { portable: true, condition };
  } catch (e) {
    return { portable: false, reason: (e as Error).message };
  }
}

/** True when `value` (a branch or tag name) matches the portable glob `pattern` (`*` within a segment, `**` across). */
export function matchesRefGlob(pattern: string, value: string): boolean {
  const re = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*\*|\*/g, (s) => (s === "**" ? ".*" : "[^/]*"));
  return new RegExp(`^${re}$`).test(value);
}

/** True when the condition's string value contains a glob (`*`). */
export function isGlob(value: string): boolean {
  return value.includes("*");
}

/** `condition` back as portable text, fully parenthesised where needed: for equivalence checks and messages. */
export function formatCondition(c: Condition): string {
  switch (c.kind) {
    case "status":
      return `${c.status}()`;
    case "compare":
      return `${c.subject} ${c.op} '${c.value.replace(/'/g, "''")}'`;
    case "not":
      return `!${c.operand.kind === "compare" || c.operand.kind === "and" || c.operand.kind === "or" ? `(${formatCondition(c.operand)})` : formatCondition(c.operand)}`;
    default: {
      const side = (s: Condition) =>
        s.kind !== c.kind && (s.kind === "and" || s.kind === "or") ? `(${formatCondition(s)})` : formatCondition(s);
      return `${side(c.left)} ${c.kind === "and" ? "&&" : "||"} ${side(c.right)}`;
    }
  }
}
