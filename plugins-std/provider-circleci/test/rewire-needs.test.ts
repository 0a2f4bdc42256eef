import { describe, expect, it } from "vitest";
import { rewireNeeds } from "../src/rewire-needs.js";

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
