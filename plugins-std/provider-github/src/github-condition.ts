import { type Condition, type Diag, type DiagTarget, errorDiag, isGlob, parseCondition, warningDiag } from "@cig/sdk";

// The portable `branch` is the branch being built: a pull request's head
// branch (github.head_ref), else the pushed branch; never a tag.
const BRANCH = "(github.head_ref || github.ref_name)";
const EVENTS: Record<string, string> = { push: "push", pull_request: "pull_request", schedule: "schedule", manual: "workflow_dispatch" };

/**
 * An `if` as GitHub writes it: a portable condition (docs/providers/common.md)
 * translated into a GitHub expression, anything else passed as written — a
 * GitHub expression is native here. Globs GitHub expressions cannot test
 * (only a prefix `x*` or suffix `*x` can be, with startsWith/endsWith) are a
 * diagnostic.
 */
export function githubCondition(text: string, at: DiagTarget, diagnostics: Diag[]): string {
  if (text === "") return "";
  const parsed = parseCondition(text);
  if (!parsed.portable) return text;
  return expr(parsed.condition, at, diagnostics, true);
}

function expr(c: Condition, at: DiagTarget, diagnostics: Diag[], top: boolean): string {
  switch (c.kind) {
    case "status":
      return `${c.status}()`;
    case "not":
      return `!(${expr(c.operand, at, diagnostics, true)})`;
    case "and":
    case "or": {
      const op = c.kind === "and" ? "&&" : "||";
      const side = (s: Condition) => {
        const e = expr(s, at, diagnostics, false);
        return (s.kind === "and" || s.kind === "or") && s.kind !== c.kind ? `(${e})` : e;
      };
      const out = `${side(c.left)} ${op} ${side(c.right)}`;
      return top ? out : `(${out})`;
    }
    case "compare": {
      if (c.subject === "event") return `github.event_name ${c.op} '${EVENTS[c.value] ?? c.value}'`;
      const kind = c.subject === "tag" ? "tag" : "branch";
      const name = c.subject === "tag" ? "github.ref_name" : BRANCH;
      const match = matchExpr(name, c.value, at, diagnostics);
      const positive = `(github.ref_type == '${kind}' && ${match})`;
      return c.op === "==" ? positive : `!${positive}`;
    }
  }
}

function matchExpr(name: string, pattern: string, at: DiagTarget, diagnostics: Diag[]): string {
  const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;
  if (!isGlob(pattern)) return `${name} == ${quote(pattern)}`;
  const prefix = pattern.replace(/\*+$/, "");
  const suffix = pattern.replace(/^\*+/, "");
  const form =
    pattern.endsWith("*") && !prefix.includes("*") ? "prefix" : pattern.startsWith("*") && !suffix.includes("*") ? "suffix" : undefined;
  if (!form) {
    diagnostics.push(
      errorDiag(
        "PROVIDER_GITHUB_UNSUPPORTED_GLOB",
        `GitHub cannot test the pattern '${pattern}' in a condition`,
        `GitHub expressions have startsWith and endsWith but no glob matching, so a pattern can be only a prefix (release/**) or a suffix (**-rc).`,
        "Use a prefix or suffix pattern, or set a native `if` in the job's or step's github table.",
        at,
      ),
    );
    return `${name} == ${quote(pattern)}`;
  }
  // `*` stops at "/", startsWith/endsWith do not: exact only for `**`, or for names without "/".
  const stars = form === "prefix" ? pattern.slice(prefix.length) : pattern.slice(0, pattern.length - suffix.length);
  if (stars === "*") {
    diagnostics.push(
      warningDiag(
        "PROVIDER_GITHUB_GLOB_WIDENED",
        `On GitHub, '${pattern}' also matches names with more "/" segments`,
        `GitHub expressions cannot stop a match at "/", so '${pattern}' is tested with ${form === "prefix" ? "startsWith" : "endsWith"} and also matches e.g. ${form === "prefix" ? `${prefix}a/b` : `a/b${suffix}`}, which other providers do not run.`,
        `Write '${form === "prefix" ? `${prefix}**` : `**${suffix}`}' if that is what you mean, or set a native \`if\` in the github table.`,
        at,
      ),
    );
  }
  return form === "prefix" ? `startsWith(${name}, ${quote(prefix)})` : `endsWith(${name}, ${quote(suffix)})`;
}
