import type { Matrix } from "@cig/proto";
import { compareUtf8 } from "./compare-utf8.js";
import { variantId } from "./variant-id.js";

/** One cell of an expanded matrix. */
export interface MatrixVariant {
  /** Variant id without the "job:" prefix, e.g. "test-ruby3.2-amd64". */
  readonly id: string;
  /** The cell's values: axes in the order written, then keys `include` entries added, in UTF-8 order. */
  readonly values: Record<string, string>;
  /** Index of the `include` entry that created the cell; undefined for cells of the product. */
  readonly include: number | undefined;
}

/** The result of {@link expandMatrix}. */
export interface MatrixExpansion {
  /** Product cells in axis order (last axis fastest), then cells `include` created, in entry order. */
  readonly variants: MatrixVariant[];
  /** Every key some cell has: what `{{ name }}` may name as a matrix reference. */
  readonly keys: Set<string>;
  /** Indexes of `exclude` entries on known axes that removed no cell (probably a typo in a value). */
  readonly unusedExcludes: number[];
}

/** True when `matrix` declares anything; an absent or empty matrix means "one job, no variants". */
export function hasMatrix(matrix: Matrix | undefined): matrix is Matrix {
  return matrix !== undefined && (matrix.axes.length > 0 || matrix.include.length > 0);
}

/**
 * Expands a job's matrix with GitHub Actions semantics: the cartesian
 * product of the axes in the order written; minus every cell matching all
 * keys of some `exclude` entry; then each `include` entry whose values on
 * the original axes match a remaining product cell adds its other keys to
 * every such cell (overwriting keys earlier includes added, never an axis
 * value), and an entry matching no cell becomes a cell of its own.
 */
export function expandMatrix(jobId: string, matrix: Matrix): MatrixExpansion {
  const axes = matrix.axes.map((a) => a.name);
  const axisSet = new Set(axes);
  const excludeHits = matrix.exclude.map(() => 0);
  const product: Record<string, string>[] = [];
  for (const cell of cartesian(matrix)) {
    let excluded = false;
    matrix.exclude.forEach((entry, i) => {
      if (matches(cell, entry.values)) {
        excluded = true;
        excludeHits[i] = (excludeHits[i] ?? 0) + 1;
      }
    });
    if (!excluded) product.push(cell);
  }

  const created: { values: Record<string, string>; include: number }[] = [];
  matrix.include.forEach((entry, i) => {
    const onAxes: Record<string, string> = {};
    const extra: [string, string][] = [];
    for (const [key, value] of Object.entries(entry.values)) {
      if (axisSet.has(key)) onAxes[key] = value;
      else extra.push([key, value]);
    }
    let matched = false;
    // Only product cells are candidates: GitHub never extends a cell an earlier include created.
    for (const cell of product) {
      if (!matches(cell, onAxes)) continue;
      matched = true;
      for (const [key, value] of extra) cell[key] = value;
    }
    if (!matched) created.push({ values: { ...entry.values }, include: i });
  });

  const keys = new Set(axes);
  const variants: MatrixVariant[] = [];
  for (const cell of product) {
    const values = canonicalCell(cell, axes, axisSet);
    for (const key of Object.keys(values)) keys.add(key);
    variants.push({ id: variantId(jobId, axes, values), values, include: undefined });
  }
  for (const { values: cell, include } of created) {
    const values = canonicalCell(cell, axes, axisSet);
    const extra = Object.keys(values).filter((k) => !axisSet.has(k));
    for (const key of extra) keys.add(key);
    variants.push({ id: variantId(jobId, axes, values, extra), values, include });
  }
  // An entry naming a key that is no axis is the loader's CIG_CONFIG_UNKNOWN_AXIS; one report is enough.
  const onAxesOnly = (i: number) => Object.keys(matrix.exclude[i]?.values ?? {}).every((k) => axisSet.has(k));
  const unusedExcludes = excludeHits.flatMap((hits, i) => (hits === 0 && onAxesOnly(i) ? [i] : []));
  return { variants, keys, unusedExcludes };
}

/** Every combination of axis values, in the order written: the last axis varies fastest. */
function cartesian(matrix: Matrix): Record<string, string>[] {
  if (matrix.axes.length === 0) return [];
  let cells: Record<string, string>[] = [{}];
  for (const axis of matrix.axes) {
    const next: Record<string, string>[] = [];
    for (const cell of cells) for (const value of axis.values) next.push({ ...cell, [axis.name]: value });
    cells = next;
  }
  return cells;
}

/** The cell's keys in a fixed order — axes as written, then the rest in UTF-8 order — whatever order they were inserted in. */
export function canonicalCell(
  cell: Readonly<Record<string, string>>,
  axes: readonly string[],
  axisSet: ReadonlySet<string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const axis of axes) if (Object.hasOwn(cell, axis)) out[axis] = cell[axis] as string;
  for (const key of Object.keys(cell)
    .filter((k) => !axisSet.has(k))
    .sort(compareUtf8))
    out[key] = cell[key] as string;
  return out;
}

function matches(cell: Readonly<Record<string, string>>, entry: Readonly<Record<string, string>>): boolean {
  for (const key of Object.keys(entry)) if (!Object.hasOwn(cell, key) || cell[key] !== entry[key]) return false;
  return true;
}
