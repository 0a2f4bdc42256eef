import { describe, expect, it } from "vitest";
import { pruneSkipped } from "../src/prune-skipped.js";

const skipping =
  (...skipped: string[]) =>
  (id: string) =>
    !skipped.includes(id);
const asObject = (m: Map<string, string[]>) => Object.fromEntries(m);

describe("pruneSkipped: needs once the skipped jobs are gone", () => {
  it("a → b → c with b skipped: c needs a", () => {
    const nodes = [
      { id: "a", needs: [] },
      { id: "b", needs: ["a"] },
      { id: "c", needs: ["b"] },
    ];
    expect(asObject(pruneSkipped(nodes, skipping("b")))).toEqual({ a: [], c: ["a"] });
  });

  it("a diamond (a → b, c → d) with b skipped keeps d on a and c once, in declaration order", () => {
    const nodes = [
      { id: "a", needs: [] },
      { id: "b", needs: ["a"] },
      { id: "c", needs: ["a"] },
      { id: "d", needs: ["b", "c"] },
    ];
    expect(asObject(pruneSkipped(nodes, skipping("b")))).toEqual({ a: [], c: ["a"], d: ["a", "c"] });
    expect(asObject(pruneSkipped(nodes, skipping("b", "c")))).toEqual({ a: [], d: ["a"] });
  });

  it("every upstream skipped: no needs at all", () => {
    const nodes = [
      { id: "a", needs: [] },
      { id: "b", needs: ["a"] },
      { id: "c", needs: ["b", "a"] },
    ];
    expect(asObject(pruneSkipped(nodes, skipping("a", "b")))).toEqual({ c: [] });
  });

  it("walks long skipped chains transitively and shares the work between dependents", () => {
    const nodes = [
      { id: "root", needs: [] },
      ...Array.from({ length: 200 }, (_, i) => ({ id: `s${i}`, needs: [i === 0 ? "root" : `s${i - 1}`] })),
      { id: "x", needs: ["s199"] },
      { id: "y", needs: ["s150", "root"] },
    ];
    const skipped = nodes.filter((n) => n.id.startsWith("s")).map((n) => n.id);
    expect(asObject(pruneSkipped(nodes, skipping(...skipped)))).toEqual({ root: [], x: ["root"], y: ["root"] });
  });

  it("keeps a need naming no node (the renderer reports it) and leaves running needs alone", () => {
    const nodes = [
      { id: "a", needs: ["ghost"] },
      { id: "b", needs: ["a", "ghost"] },
    ];
    expect(asObject(pruneSkipped(nodes, skipping()))).toEqual({ a: ["ghost"], b: ["a", "ghost"] });
    expect(asObject(pruneSkipped(nodes, skipping("a")))).toEqual({ b: ["ghost"] });
  });
});
