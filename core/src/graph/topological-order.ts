import { compareUtf8 } from "./compare-utf8.js";

/** A job as the sort sees it: its variant ids and the jobs it needs (indexes, no duplicates). */
export interface SortJob {
  readonly variants: readonly string[];
  readonly needs: readonly number[];
}

/** The result of {@link topologicalOrder}: pairs of job index and variant index. */
export interface SortResult {
  readonly order: (readonly [job: number, variant: number])[];
  /** False when a cycle kept some variants from being placed; they follow the placed ones in id order. */
  readonly acyclic: boolean;
}

interface Entry {
  readonly id: string;
  readonly job: number;
  readonly variant: number;
}

/**
 * Kahn's algorithm over variants, ties broken by variant id in UTF-8 order —
 * computed per job: every variant of a job needs every variant of each job it
 * needs, so a job's variants become ready together, when the last variant of
 * its last needed job is placed. That keeps the work O(V log V + E) in jobs'
 * edges instead of the product of variant counts a variant-level graph has.
 */
export function topologicalOrder(jobs: readonly SortJob[]): SortResult {
  const dependents: number[][] = jobs.map(() => []);
  const waiting = jobs.map((job) => job.needs.length);
  jobs.forEach((job, j) => {
    for (const need of job.needs) dependents[need]?.push(j);
  });
  const unplaced = jobs.map((job) => job.variants.length);
  const heap = new MinHeap<Entry>((a, b) => compareUtf8(a.id, b.id));
  const order: (readonly [number, number])[] = [];

  const activate = (j: number): void => {
    (jobs[j]?.variants ?? []).forEach((id, variant) => {
      heap.push({ id, job: j, variant });
    });
  };
  const finish = (j: number): void => {
    for (const d of dependents[j] ?? []) {
      waiting[d] = (waiting[d] ?? 0) - 1;
      if (waiting[d] === 0 && (jobs[d]?.variants.length ?? 0) > 0) activate(d);
    }
  };

  jobs.forEach((job, j) => {
    if (waiting[j] === 0 && job.variants.length > 0) activate(j);
  });
  // A job whose matrix expanded to nothing has no variant to wait for, as in a variant-level graph.
  jobs.forEach((job, j) => {
    if (job.variants.length === 0) finish(j);
  });
  for (let e = heap.pop(); e !== undefined; e = heap.pop()) {
    order.push([e.job, e.variant]);
    unplaced[e.job] = (unplaced[e.job] ?? 0) - 1;
    if (unplaced[e.job] === 0) finish(e.job);
  }

  const total = jobs.reduce((n, job) => n + job.variants.length, 0);
  if (order.length === total) return { order, acyclic: true };
  const rest: Entry[] = [];
  jobs.forEach((job, j) => {
    if ((waiting[j] ?? 0) > 0) job.variants.forEach((id, variant) => void rest.push({ id, job: j, variant }));
  });
  rest.sort((a, b) => compareUtf8(a.id, b.id));
  for (const e of rest) order.push([e.job, e.variant]);
  return { order, acyclic: false };
}

/** A binary min-heap; `compare` must be a total order for the output to be deterministic. */
class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number) {}

  push(item: T): void {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(items[parent] as T, item) <= 0) break;
      items[i] = items[parent] as T;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= items.length) break;
      const right = child + 1;
      if (right < items.length && this.compare(items[right] as T, items[child] as T) < 0) child = right;
      if (this.compare(items[child] as T, last) >= 0) break;
      items[i] = items[child] as T;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
