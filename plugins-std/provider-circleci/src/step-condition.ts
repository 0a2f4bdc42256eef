import { type Condition, formatCondition, type Json, parseCondition } from "@cig/sdk";
import { chain, toLogic, usesStatus } from "./condition-logic.js";

/** How a step's `if` is rendered on CircleCI. */
export type StepCondition = { ok: true; when?: "always" | "on_fail"; logic?: Json } | { ok: false; native: boolean; reason: string };

/**
 * A step's `if` as CircleCI can say it: the step status part (`always()`,
 * `failure()`) becomes the run step's `when: always | on_fail`, and the
 * part over branch, tag and event a compile-time `when` step around it.
 * Only `status && rest` (or either alone) has that shape; anything else,
 * e.g. `failure() || branch == 'main'`, is reported.
 */
export function stepCondition(text: string): StepCondition {
  if (text.trim() === "") return { ok: true };
  const parsed = parseCondition(text);
  if (!parsed.portable) return { ok: false, native: true, reason: parsed.reason };
  const parts = chain(parsed.condition, "and");
  const statuses = parts.filter((p) => p.kind === "status");
  const rest = parts.filter((p) => p.kind !== "status");
  if (statuses.length > 1 || rest.some(usesStatus)) {
    return { ok: false, native: false, reason: "CircleCI can combine one step status with a condition only through &&" };
  }
  const status = statuses[0];
  let when: "always" | "on_fail" | undefined;
  if (status?.kind === "status") {
    if (status.status === "cancelled") return { ok: false, native: false, reason: "CircleCI runs no step of a cancelled job" };
    if (status.status === "always") when = "always";
    if (status.status === "failure") when = "on_fail";
  }
  if (rest.length === 0) return when ? { ok: true, when } : { ok: true };
  const [first, ...others] = rest as [Condition, ...Condition[]];
  const logic = toLogic(others.reduce<Condition>((a, b) => ({ kind: "and", left: a, right: b }), first));
  if (typeof logic === "string") return { ok: false, native: false, reason: logic };
  return when ? { ok: true, when, logic } : { ok: true, logic };
}

/** The condition as portable text, for messages. */
export function conditionText(text: string): string {
  const parsed = parseCondition(text);
  return parsed.portable ? formatCondition(parsed.condition) : text;
}
