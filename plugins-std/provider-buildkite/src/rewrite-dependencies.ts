/**
 * The `needs` of every variant that runs, once the skipped ones are left
 * out of a run-time pipeline: a need on a skipped variant becomes that
 * variant's own needs, rewritten the same way (its nearest ancestors that
 * run), so ordering survives the skip — `a → b → c` with `b` skipped gives
 * `c` needs `a`. Needs keep their order (a skipped need's replacements take
 * its place), duplicates keep their first place, and a need on an id the
 * graph does not have is kept for the renderer to report.
 *
 * @param needs every variant's needs, by id, in the graph's order
 * @param runs whether a variant runs
 * @returns the rewritten needs of each variant that runs, in the order of `needs`
 */
export function rewriteDependencies(needs: ReadonlyMap<string, readonly string[]>, runs: (id: string) => boolean): Map<string, string[]> {
  // What a need on `id` stands for: itself when it runs, else what it needs (memoised: diamonds revisit).
  const standsFor = new Map<string, string[]>();
  const resolve = (id: string, visiting: Set<string>): string[] => {
    if (!needs.has(id) || runs(id)) return [id];
    const known = standsFor.get(id);
    if (known) return known;
    // The graph is acyclic (the core rejects cycles); a cycle here would only drop the edge back.
    if (visiting.has(id)) return [];
    visiting.add(id);
    const out = unique((needs.get(id) ?? []).flatMap((n) => resolve(n, visiting)));
    visiting.delete(id);
    standsFor.set(id, out);
    return out;
  };
  const out = new Map<string, string[]>();
  for (const [id, own] of needs) {
    if (runs(id)) out.set(id, unique(own.flatMap((n) => resolve(n, new Set([id])))));
  }
  return out;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
