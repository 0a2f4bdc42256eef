import type { Json, JsonMap } from "@cig/sdk";

/**
 * `strategy.matrix` reproducing exactly the cells of a grouped job, in the
 * most readable faithful form:
 * - the axes alone, when the cells are their full cartesian product;
 * - axes plus `exclude` (whole cells, so GitHub's partial-match rule removes
 *   exactly those) when fewer cells are excluded than kept;
 * - otherwise `include` with every cell.
 * `include` is never combined with axes: GitHub's include rules (extend a
 * matching combination or add a new one) would make the cell set depend on
 * value order.
 *
 * @param cells every variant's matrix values, all with the same keys
 * @param axisOrder axis names in cig.toml order (unknown axes follow, sorted)
 * @param valueOrder per axis, its values in cig.toml order (others follow in order of appearance)
 */
export function renderMatrix(
  cells: ReadonlyArray<Readonly<Record<string, string>>>,
  axisOrder: readonly string[],
  valueOrder: ReadonlyMap<string, readonly string[]>,
): JsonMap {
  const present = new Set(cells.flatMap((c) => Object.keys(c)));
  const axes = [...axisOrder.filter((a) => present.has(a)), ...[...present].filter((a) => !axisOrder.includes(a)).sort()];
  const values = new Map<string, string[]>();
  for (const axis of axes) {
    const seen = new Set(cells.map((c) => c[axis] as string));
    const declared = (valueOrder.get(axis) ?? []).filter((v) => seen.has(v));
    values.set(axis, [...new Set([...declared, ...seen])]);
  }

  const cellKey = (c: Readonly<Record<string, string>>) => JSON.stringify(axes.map((a) => c[a]));
  const kept = new Set(cells.map(cellKey));
  const asCell = (combo: readonly string[]): JsonMap => Object.fromEntries(axes.map((a, i) => [a, combo[i] as string]));
  const include = () => ({ include: cells.map((c) => asCell(axes.map((a) => c[a] as string))) });

  // Sized before it is built: sparse cells over many values would make a huge product.
  const productSize = axes.reduce((n, a) => n * (values.get(a)?.length ?? 0), 1);
  if (productSize - kept.size >= kept.size) return include();
  const excluded = cartesian(axes.map((a) => values.get(a) ?? [])).filter((combo) => !kept.has(JSON.stringify(combo)));
  const matrix: JsonMap = {};
  for (const axis of axes) matrix[axis] = (values.get(axis) ?? []) as Json[];
  if (excluded.length > 0) matrix.exclude = excluded.map(asCell);
  return matrix;
}

function cartesian(lists: ReadonlyArray<readonly string[]>): string[][] {
  let out: string[][] = [[]];
  for (const list of lists) out = out.flatMap((prefix) => list.map((v) => [...prefix, v]));
  return out;
}
