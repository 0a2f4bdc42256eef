/** One job variant and the variants it needs, in the provider's order. */
export interface NeedsNode {
  id: string;
  needs: readonly string[];
}

/**
 * The needs of every variant that runs once the skipped variants are left
 * out of a run-time pipeline (docs/work-signatures.md): each need on a
 * skipped variant is replaced, in place, by that variant's nearest
 * ancestors that run (transitively: a → b → c with b skipped gives c ← a),
 * so ordering among the variants that run is kept, and no need names a job
 * the pipeline no longer has. Duplicates keep their first place, so the
 * provider's order stays. A need on an id not in `nodes` is kept as it is.
 *
 * @param runs whether a variant runs (its decision; undecided variants run)
 * @returns needs per variant that runs; skipped variants have no entry
 */
export function rewireSkippedNeeds(nodes: readonly NeedsNode[], runs: (id: string) => boolean): Map<string, string[]> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const standIns = new Map<string, readonly string[]>();
  const visiting = new Set<string>();

  // What a need on `id` becomes: itself when it runs (or is unknown), else its running ancestors (memoised: diamonds revisit).
  const resolve = (id: string): readonly string[] => {
    const node = byId.get(id);
    if (!node || runs(id)) return [id];
    const known = standIns.get(id);
    if (known) return known;
    // A cycle cannot reach generate (the core rejects it); should one, the edge back contributes nothing.
    if (visiting.has(id)) return [];
    visiting.add(id);
    const out = unique(node.needs.flatMap(resolve));
    visiting.delete(id);
    standIns.set(id, out);
    return out;
  };

  const out = new Map<string, string[]>();
  for (const n of nodes) if (runs(n.id)) out.set(n.id, unique(n.needs.flatMap(resolve)));
  return out;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
