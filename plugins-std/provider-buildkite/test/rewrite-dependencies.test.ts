import { describe, expect, it } from "vitest";
import { rewriteDependencies } from "../src/rewrite-dependencies.js";

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
