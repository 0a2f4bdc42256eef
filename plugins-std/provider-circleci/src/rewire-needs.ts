/** One variant and the variants it needs, in the provider's order. */
export interface NeedsOf {
  id: string;
  needs: readonly string[];
}

/**
 * The `requires` of every variant that runs when the variants in `skipped`
 * are left out of the pipeline: each need on a skipped variant is replaced,
 * in place, by that variant's nearest ancestors that run (transitively:
 * a → b → c with b skipped gives c ← a). Duplicates keep their first place,
 * so the order stays the provider's. Without the rewrite CircleCI would
 * reject a `requires` naming a job that is no longer in the workflow; with
 * plain removal, c would stop waiting for a.
 *
 * @returns needs per variant that runs (skipped variants have no entry)
 */
export function rewireNeeds(variants: readonly NeedsOf[], skipped: ReadonlySet<string>): Map<string, string[]> {
  const needsOf = new Map(variants.map((v) => [v.id, v.needs]));
  const resolved = new Map<string, string[]>();
  const visiting = new Set<string>();

  // The ancestors that run standing in for skipped variant `id`; memoised, since a diamond reaches it twice.
  const standIns = (id: string): string[] => {
    const known = resolved.get(id);
    if (known) return known;
    // A cycle cannot reach generate (the core rejects it); should one, it contributes nothing.
    if (visiting.has(id)) return [];
    visiting.add(id);
    const out = expand(needsOf.get(id) ?? []);
    visiting.delete(id);
    resolved.set(id, out);
    return out;
  };
  const expand = (needs: readonly string[]): string[] => [...new Set(needs.flatMap((n) => (skipped.has(n) ? standIns(n) : [n])))];

  const out = new Map<string, string[]>();
  for (const v of variants) if (!skipped.has(v.id)) out.set(v.id, expand(v.needs));
  return out;
}
