/** One `needs` entry: job `to` (an index into the id list) is entry `index` of the job's `needs`. */
export interface NeedsEdge {
  readonly to: number;
  readonly index: number;
}

/** A cycle of `needs`, closed by entry `needsIndex` of job `from`'s `needs` (which names `to`). */
export interface Cycle {
  /** The path in cig.toml ids, first and last equal: ["build", "test", "build"]. */
  readonly jobs: string[];
  readonly from: string;
  readonly to: string;
  readonly needsIndex: number;
}

const WHITE = 0;
const GREY = 1;
const BLACK = 2;

/**
 * Every `needs` entry that closes a cycle, found by a depth-first walk that
 * starts from the jobs in the order given (by id) and follows each job's
 * needs in the order written. Those entries are the walk's back edges: each
 * report is a different cycle closed by a different entry, every cycle of
 * the graph goes through at least one reported entry, and removing all of
 * them leaves the graph acyclic — so the report says where to break it,
 * without listing the exponentially many cycles a dense knot can have.
 * A self-need is a one-job cycle.
 * Iterative, so a 10,000-job chain cannot overflow the stack.
 */
export function findCycles(ids: readonly string[], edges: readonly (readonly NeedsEdge[])[]): Cycle[] {
  const colour = new Uint8Array(ids.length);
  // Position of each grey job on the walk's path, to cut the cycle out of it.
  const depth = new Int32Array(ids.length).fill(-1);
  const path: number[] = [];
  const next: number[] = [];
  const cycles: Cycle[] = [];
  for (let root = 0; root < ids.length; root++) {
    if (colour[root] !== WHITE) continue;
    enter(root);
    while (path.length > 0) {
      const top = path.length - 1;
      const node = path[top] as number;
      const out = edges[node] ?? [];
      const i = next[top] as number;
      if (i >= out.length) {
        colour[node] = BLACK;
        depth[node] = -1;
        path.pop();
        next.pop();
        continue;
      }
      next[top] = i + 1;
      const edge = out[i] as NeedsEdge;
      if (colour[edge.to] === WHITE) enter(edge.to);
      else if (colour[edge.to] === GREY) {
        const members = path.slice(depth[edge.to]).map((n) => ids[n] as string);
        cycles.push({
          jobs: [...members, ids[edge.to] as string],
          from: ids[node] as string,
          to: ids[edge.to] as string,
          needsIndex: edge.index,
        });
      }
    }
  }
  return cycles;

  function enter(node: number): void {
    colour[node] = GREY;
    depth[node] = path.length;
    path.push(node);
    next.push(0);
  }
}
