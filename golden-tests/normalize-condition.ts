/**
 * A canonical text for a portable condition, so that the equivalence test
 * compares meaning rather than spelling: negations pushed inward (De Morgan,
 * `!(a == b)` → `a != b`), nested `&&`/`||` flattened, operands sorted and
 * deduplicated, and `success()` dropped from a conjunction (a job runs only
 * after its needs succeeded unless a status function says otherwise).
 * Text that is not a portable condition comes back unchanged.
 */
import { type Condition, formatCondition, parseCondition } from "@cig/sdk";

export function normalizeCondition(text: string): string {
  if (text.trim() === "") return "";
  const parsed = parseCondition(text);
  if (!parsed.portable) return text;
  const c = simplify(nnf(parsed.condition, false));
  return c ? formatCondition(c) : "";
}

function nnf(c: Condition, negate: boolean): Condition {
  switch (c.kind) {
    case "not":
      return nnf(c.operand, !negate);
    case "compare":
      return negate ? { ...c, op: c.op === "==" ? "!=" : "==" } : c;
    case "status":
      return negate ? { kind: "not", operand: c } : c;
    default:
      return { kind: negate ? (c.kind === "and" ? "or" : "and") : c.kind, left: nnf(c.left, negate), right: nnf(c.right, negate) };
  }
}

function operands(c: Condition, kind: "and" | "or"): Condition[] {
  return c.kind === kind ? [...operands(c.left, kind), ...operands(c.right, kind)] : [c];
}

function simplify(c: Condition): Condition | undefined {
  if (c.kind !== "and" && c.kind !== "or") return c;
  const kind = c.kind;
  let parts = operands(c, kind)
    .map(simplify)
    .filter((p): p is Condition => p !== undefined);
  if (kind === "and") parts = parts.filter((p) => !(p.kind === "status" && p.status === "success"));
  const unique = [...new Map(parts.map((p) => [formatCondition(p), p])).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, p]) => p);
  if (unique.length === 0) return kind === "and" ? undefined : c;
  return unique.reduce((left, right) => ({ kind, left, right }));
}
