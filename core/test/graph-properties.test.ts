import { create, toBinary } from "@bufbuild/protobuf";
import { DependencySchema, DiagnosticSchema, MatrixSchema, ResourceSchema } from "@cig/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildJobGraph, compareUtf8, expandMatrix, GRAPH_CODES } from "../src/graph/index.js";
import { echoLocator, ids, type JobInit, jobOf, matrix, schemaOf } from "./graph-fixtures.js";

type Cell = Record<string, string>;
interface MatrixSpec {
  axes: Record<string, string[]>;
  include: Cell[];
  exclude: Cell[];
}

const VALUES = ["1", "2", "3.2", "a", "b", "x-y"];
const AXES = ["os", "ruby", "arch"];

const matrixSpec: fc.Arbitrary<MatrixSpec> = fc.uniqueArray(fc.constantFrom(...AXES), { minLength: 1, maxLength: 3 }).chain((names) =>
  fc.record({
    axes: fc
      .tuple(...names.map(() => fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 })))
      .map((lists) => Object.fromEntries(names.map((n, i) => [n, lists[i] ?? []]))),
    include: fc.array(fc.dictionary(fc.constantFrom(...AXES, "extra", "tag"), fc.constantFrom(...VALUES, "new"), { maxKeys: 3 }), {
      maxLength: 3,
    }),
    exclude: fc.array(fc.dictionary(fc.constantFrom(...names), fc.constantFrom(...VALUES), { minKeys: 1, maxKeys: 2 }), { maxLength: 3 }),
  }),
);

/** The expansion rules restated by brute force, as the oracle. */
function expectedCount(spec: MatrixSpec): number {
  let cells: Cell[] = [{}];
  for (const [name, values] of Object.entries(spec.axes)) cells = cells.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  const matches = (cell: Cell, entry: Cell) => Object.entries(entry).every(([k, v]) => cell[k] === v);
  const kept = cells.filter((c) => !spec.exclude.some((e) => matches(c, e)));
  const onAxes = (e: Cell) => Object.fromEntries(Object.entries(e).filter(([k]) => k in spec.axes));
  return kept.length + spec.include.filter((e) => !kept.some((c) => matches(c, onAxes(e)))).length;
}

/** A random DAG (edges only to earlier jobs) of `n` jobs, some with matrices; ids "j0"… so variants cannot clash. */
const dag = fc.integer({ min: 1, max: 10 }).chain((n) =>
  fc.tuple(
    fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, k) => k)))),
    fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    fc.shuffledSubarray(
      Array.from({ length: n }, (_, i) => i),
      { minLength: n },
    ),
  ),
);

function dagSchema([needs, matrices, names]: [number[][], boolean[], number[]]): JobInit[] {
  const id = (i: number) => `j${names[i]}`;
  return needs.map((list, i) => ({
    id: id(i),
    needs: list.map(id),
    ...(matrices[i] ? { matrix: matrix({ v: ["y", "x"], n: ["2", "1"] }, [{ v: "z" }], [{ v: "x", n: "2" }]) } : {}),
  }));
}

describe("job graph properties", () => {
  it("expands to the product, minus excluded cells, plus includes that match no cell", () => {
    fc.assert(
      fc.property(matrixSpec, (spec) => {
        const m = create(MatrixSchema, matrix(spec.axes, spec.include, spec.exclude));
        expect(expandMatrix("t", m).variants).toHaveLength(expectedCount(spec));
      }),
    );
  });

  it("never emits two jobs with one id, and reports every clash", () => {
    const jobs = fc
      .uniqueArray(fc.constantFrom("t", "t-a", "t-1", "t-os1", "t-a-b", "u"), { minLength: 1, maxLength: 4 })
      .chain((names) => fc.tuple(...names.map((id) => fc.option(matrixSpec, { nil: undefined }).map((spec) => ({ id, spec })))));
    fc.assert(
      fc.property(jobs, (list) => {
        const schema = schemaOf(
          list.map(({ id, spec }) => ({ id, ...(spec ? { matrix: matrix(spec.axes, spec.include, spec.exclude) } : {}) })),
        );
        const graph = buildJobGraph(schema, {});
        const emitted = ids(graph.jobs);
        expect(new Set(emitted).size).toBe(emitted.length);
        const total = list.reduce((n, { spec }) => n + (spec ? expectedCount(spec) : 1), 0);
        const clashes = graph.diagnostics.filter((d) => d.code === GRAPH_CODES.duplicateId).length;
        expect(emitted.length + clashes).toBe(total);
      }),
    );
  });

  it("orders variants topologically, exactly as Kahn's algorithm over variants with ties by id", () => {
    fc.assert(
      fc.property(dag, (input) => {
        const graph = buildJobGraph(schemaOf(dagSchema(input)), {});
        expect(graph.diagnostics).toEqual([]);
        expect(graph.acyclic).toBe(true);
        const position = new Map(graph.jobs.map((r, i) => [r.id, i]));
        for (const d of graph.deps) expect(position.get(d.to) ?? Infinity).toBeLessThan(position.get(d.from) ?? -1);
        // Reference: the textbook O(V²) version over variants.
        const needs = new Map(graph.jobs.map((r) => [r.id, jobOf(r).needs]));
        const placed = new Set<string>();
        const order: string[] = [];
        while (order.length < needs.size) {
          const ready = [...needs.keys()].filter((v) => !placed.has(v) && (needs.get(v) ?? []).every((n) => placed.has(n)));
          const next = ready.sort(compareUtf8)[0] as string;
          placed.add(next);
          order.push(next);
        }
        expect(graph.jobs.map((r) => r.id)).toEqual(order);
      }),
    );
  });

  it("reports cycles whose closing entries, removed, leave the graph acyclic", () => {
    const graphs = fc
      .integer({ min: 1, max: 7 })
      .chain((n) => fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }), { minLength: n, maxLength: n }));
    fc.assert(
      fc.property(graphs, (edges) => {
        const jobs = edges.map((needs, i) => ({ id: `j${i}`, needs: needs.map((k) => `j${k}`) }));
        const graph = buildJobGraph(schemaOf(jobs), {}, echoLocator);
        const cycles = graph.diagnostics.filter((d) => d.code === GRAPH_CODES.cycle);
        expect(cycles.length > 0).toBe(hasCycle(edges));
        expect(graph.acyclic).toBe(cycles.length === 0);
        expect(graph.jobs).toHaveLength(jobs.length);
        const cut = new Set(cycles.map((d) => d.loc?.path));
        const pruned = jobs.map((job) => ({
          ...job,
          needs: job.needs.filter((_, i) => !cut.has(JSON.stringify(["jobs", job.id, "needs", i]))),
        }));
        const again = buildJobGraph(schemaOf(pruned), {});
        expect(again.acyclic).toBe(true);
        expect(again.diagnostics).toEqual([]);
      }),
    );
  });

  it("gives identical bytes whatever the order of jobs and of map keys", () => {
    fc.assert(
      fc.property(dag, fc.array(fc.nat()), fc.boolean(), (input, seed, reverse) => {
        const jobs = dagSchema(input).map((job, i) => ({
          ...job,
          env: Object.fromEntries(
            (i % 2
              ? [
                  ["B", "{{ b }}"],
                  ["A", "a"],
                ]
              : [["Z", "z"]]) as [string, string][],
          ),
          steps: [{ name: "{{ v }}-{{ a }}", action: { case: "run" as const, value: { command: "echo {{ b }}" } } }],
        }));
        const variables: Record<string, string> = { a: "1", b: "2", v: "3" };
        const schema = (flip: boolean) => {
          const order = flip ? shuffle(jobs, seed) : jobs;
          const keys = (r: Record<string, string>) => Object.fromEntries(flip ? Object.entries(r).reverse() : Object.entries(r));
          const s = schemaOf(
            order.map((j) => ({ ...j, env: keys(j.env) })),
            { variables: keys(variables) },
          );
          s.jobs = order.map((j) => s.jobs.find((x) => x.id === j.id) ?? s.jobs[0]).filter((j) => j !== undefined);
          return s;
        };
        expect(bytes(buildJobGraph(schema(reverse), { f: "x" }))).toEqual(bytes(buildJobGraph(schema(false), { f: "x" })));
      }),
    );
  });
});

function hasCycle(edges: number[][]): boolean {
  const state = edges.map(() => 0);
  const visit = (v: number): boolean => {
    if (state[v] === 1) return true;
    if (state[v] === 2) return false;
    state[v] = 1;
    if ((edges[v] ?? []).some(visit)) return true;
    state[v] = 2;
    return false;
  };
  return edges.some((_, v) => visit(v));
}

function shuffle<T>(items: readonly T[], seed: readonly number[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = (seed[i % Math.max(1, seed.length)] ?? 0) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function bytes(graph: ReturnType<typeof buildJobGraph>): string[] {
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
  return [
    ...graph.jobs.map((r) => hex(toBinary(ResourceSchema, r))),
    ...graph.caches.map((r) => hex(toBinary(ResourceSchema, r))),
    ...graph.deps.map((d) => hex(toBinary(DependencySchema, d))),
    ...graph.diagnostics.map((d) => hex(toBinary(DiagnosticSchema, d))),
  ];
}
