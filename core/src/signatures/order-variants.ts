import { signatureError } from "./signature-error.js";

/** What ordering needs of a variant. */
interface Node {
  readonly id: string;
  readonly needs: readonly string[];
}

/**
 * `variants` with every variant after the variants it needs (upstream
 * first); an order that is already topological (the job graph's) is kept
 * as it is. Iterative depth-first search, so a long chain of needs cannot
 * overflow the stack. Throws CIG_SIG_BAD_GRAPH for an unknown need or a cycle.
 */
export function orderVariants<T extends Node>(variants: readonly T[]): T[] {
  const byId = new Map(variants.map((v) => [v.id, v]));
  const state = new Map<string, "visiting" | "done">();
  const out: T[] = [];
  for (const start of variants) {
    if (state.has(start.id)) continue;
    const stack: Array<{ node: T; next: number }> = [{ node: start, next: 0 }];
    state.set(start.id, "visiting");
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: T; next: number };
      const needId = top.node.needs[top.next++];
      if (needId === undefined) {
        stack.pop();
        state.set(top.node.id, "done");
        out.push(top.node);
        continue;
      }
      const need = byId.get(needId);
      if (!need) throw badGraph(`${top.node.id} needs ${needId}, which is not among the variants being signed`);
      const seen = state.get(needId);
      if (seen === "visiting") throw badGraph(`the needs of ${needId} form a cycle through ${top.node.id}`);
      if (seen === "done") continue;
      state.set(needId, "visiting");
      stack.push({ node: need, next: 0 });
    }
  }
  return out;
}

function badGraph(message: string) {
  return signatureError(
    "CIG_SIG_BAD_GRAPH",
    message,
    "Sign the whole planned graph (filter the results afterwards); `cig validate` reports cycles in cig.toml.",
  );
}
