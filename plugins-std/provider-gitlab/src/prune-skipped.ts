/** A node of the job DAG: an id and the ids it needs, in declaration order. */
export interface NeedsNode {
  id: string;
  needs: readonly string[];
}

/**
 * The needs of every node that runs once the skipped ones are gone: a need
 * on a skipped node is replaced by that node's nearest running ancestors
 * (its own needs, rewritten the same way, transitively), so whatever ran
 * before the skipped node still runs before its dependents. Each list is
 * deduplicated and keeps the order of a depth-first walk of the declared
 * needs, so the result is as deterministic as the input. A need naming no
 * node is kept as it is (the renderer reports it). Skipped nodes have no entry.
 */
export function pruneSkipped(nodes: readonly NeedsNode[], runs: (id: string) => boolean): Map<string, string[]> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const standIns = new Map<string, readonly string[]>();
  const visiting = new Set<string>();

  // What a need on `id` becomes: itself when it runs (or is unknown), else its running ancestors.
  const resolve = (id: string): readonly string[] => {
    const node = byId.get(id);
    if (!node || runs(id)) return [id];
    const known = standIns.get(id);
    if (known) return known;
    // A cycle cannot come from the core (it rejects them); stop rather than recurse forever.
    if (visiting.has(id)) return [];
    visiting.add(id);
    const out = unique(node.needs.flatMap(resolve));
    visiting.delete(id);
    standIns.set(id, out);
    return out;
  };

  const pruned = new Map<string, string[]>();
  for (const n of nodes) if (runs(n.id)) pruned.set(n.id, unique(n.needs.flatMap(resolve)));
  return pruned;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
