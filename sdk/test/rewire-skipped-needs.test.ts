import { describe, expect, it } from "vitest";
import { rewireSkippedNeeds } from "../src/index.js";

// The cases of the three providers that each had their own copy of this function (CircleCI, Buildkite,
// GitLab), each block under the name it had there.

{
  const rewireNeeds = (nodes: { id: string; needs: string[] }[], skipped: ReadonlySet<string>) =>
    rewireSkippedNeeds(nodes, (id) => !skipped.has(id));

  const graph = (edges: Record<string, string[]>) => Object.entries(edges).map(([id, needs]) => ({ id, needs }));
  const rewire = (edges: Record<string, string[]>, skipped: string[]) => Object.fromEntries(rewireNeeds(graph(edges), new Set(skipped)));

  describe("rewireNeeds", () => {
    it("keeps every need when nothing is skipped", () => {
      expect(rewire({ a: [], b: ["a"], c: ["b", "a"] }, [])).toEqual({ a: [], b: ["a"], c: ["b", "a"] });
    });

    it("chain a → b → c with b skipped: c needs a, and b is gone", () => {
      expect(rewire({ a: [], b: ["a"], c: ["b"] }, ["b"])).toEqual({ a: [], c: ["a"] });
    });

    it("goes through several skipped variants in a row", () => {
      expect(rewire({ a: [], b: ["a"], c: ["b"], d: ["c"] }, ["b", "c"])).toEqual({ a: [], d: ["a"] });
    });

    it("diamond: a stand-in reached twice is listed once, in the place of its first occurrence", () => {
      const edges = { a: [], x: [], b: ["a"], c: ["a", "x"], d: ["b", "x", "c"] };
      expect(rewire(edges, ["b", "c"])).toEqual({ a: [], x: [], d: ["a", "x"] });
      expect(rewire(edges, ["c"])).toEqual({ a: [], x: [], b: ["a"], d: ["b", "x", "a"] });
    });

    it("all upstream skipped: no needs at all", () => {
      expect(rewire({ a: [], b: ["a"], c: ["a", "b"] }, ["a", "b"])).toEqual({ c: [] });
    });

    it("a need outside the list (reported elsewhere) is kept as it is, and a cycle does not hang", () => {
      expect(rewire({ b: ["ghost"], c: ["b"] }, ["b"])).toEqual({ c: ["ghost"] });
      expect(rewire({ a: ["b"], b: ["a"], c: ["a"] }, ["a", "b"])).toEqual({ c: [] });
    });
  });
}
{
  const rewriteDependencies = (needs: ReadonlyMap<string, string[]>, runs: (id: string) => boolean) =>
    rewireSkippedNeeds(
      [...needs].map(([id, n]) => ({ id, needs: n })),
      runs,
    );

  const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));
  const skipping =
    (...skipped: string[]) =>
    (id: string) =>
      !skipped.includes(id);

  describe("rewriteDependencies: needs on skipped variants become their nearest running ancestors", () => {
    it("a → b → c with b skipped: c needs a, and b is gone", () => {
      const out = rewriteDependencies(graph({ a: [], b: ["a"], c: ["b"] }), skipping("b"));
      expect([...out]).toEqual([
        ["a", []],
        ["c", ["a"]],
      ]);
    });

    it("follows a chain of skipped variants transitively", () => {
      const out = rewriteDependencies(graph({ a: [], b: ["a"], c: ["b"], d: ["c"] }), skipping("b", "c"));
      expect(out.get("d")).toEqual(["a"]);
    });

    it("a diamond a → (b, c) → d with b and c skipped: d needs a once", () => {
      const out = rewriteDependencies(graph({ a: [], b: ["a"], c: ["a"], d: ["b", "c"] }), skipping("b", "c"));
      expect(out.get("d")).toEqual(["a"]);
    });

    it("a diamond with one side skipped keeps the other side and reaches the root through the skipped one", () => {
      const out = rewriteDependencies(graph({ a: [], b: ["a"], c: ["a"], d: ["b", "c"] }), skipping("b"));
      expect(out.get("d")).toEqual(["a", "c"]);
    });

    it("every upstream skipped: no needs at all", () => {
      const out = rewriteDependencies(graph({ a: [], b: ["a"], c: ["b"] }), skipping("a", "b"));
      expect([...out]).toEqual([["c", []]]);
    });

    it("keeps the order of needs, a skipped need's replacements in its place, duplicates at their first place", () => {
      const out = rewriteDependencies(graph({ x: [], y: [], s: ["y", "x"], d: ["x", "s", "y"] }), skipping("s"));
      expect(out.get("d")).toEqual(["x", "y"]);
      const order = rewriteDependencies(graph({ x: [], y: [], s: ["y", "x"], d: ["s", "x"] }), skipping("s"));
      expect(order.get("d")).toEqual(["y", "x"]);
    });

    it("changes nothing when everything runs, and keeps needs the graph does not have (the renderer reports them)", () => {
      const edges = { a: [], b: ["a", "ghost"], c: ["b", "a"] };
      expect(Object.fromEntries(rewriteDependencies(graph(edges), () => true))).toEqual(edges);
    });

    it("does not loop on a cycle (the core rejects them; this only must terminate)", () => {
      const out = rewriteDependencies(graph({ a: ["b"], b: ["a"], c: ["a"] }), skipping("a", "b"));
      expect(out.get("c")).toEqual([]);
    });
  });
}
{
  const pruneSkipped = rewireSkippedNeeds;

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
}
