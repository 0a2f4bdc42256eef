import { create } from "@bufbuild/protobuf";
import { JobResourceSchema, type Resource, Resource_Kind, ResourceSchema } from "@cig/proto";
import { expandJobTemplates } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { buildJobGraph } from "../src/graph/build-job-graph.js";
import { graphFor, templateGraph } from "../src/pipeline/job-templates.js";
import { schemaOf } from "./graph-fixtures.js";

const jobs = (graph: readonly Resource[]) => graph.map((r) => (r.spec.case === "job" ? r.spec.value : undefined));

describe("templateGraph (the graph-templates protocol feature)", () => {
  const graph = buildJobGraph(
    schemaOf([
      { id: "lint", steps: [{ name: "lint", action: { case: "run", value: { command: "make lint" } } }] },
      {
        id: "test",
        needs: ["lint"],
        matrix: { axes: [{ name: "ruby", values: ["3.2", "3.3"] }] },
        env: { A: "1" },
        steps: [{ name: "t", action: { case: "run", value: { command: "rspec {{ matrix.ruby }}" } } }],
      },
      { id: "deploy", needs: ["test"], steps: [{ name: "d", action: { case: "run", value: { command: "make deploy" } } }] },
    ]),
    {},
  ).jobs;

  it("sends a matrix job as one template and small variants, in graph order, and expands back to the same graph", () => {
    const sent = templateGraph(graph);
    expect(sent.templates.map((t) => t.id)).toEqual(["test"]);
    expect(sent.templates[0]?.job?.needs).toEqual(["job:lint"]);
    expect(sent.graph.map((r) => r.id)).toEqual(graph.map((r) => r.id));
    const variant = jobs(sent.graph)[1];
    expect(variant).toMatchObject({ jobId: "test", template: "test", matrix: { ruby: "3.2" }, needs: [], steps: [], env: {} });
    // A lone job goes whole.
    expect(sent.graph[0]).toBe(graph[0]);
    // What an SDK plugin's hooks then see is the original graph, field for field.
    const req = { graph: sent.graph.map((r) => create(ResourceSchema, { ...r })), jobTemplates: [...sent.templates] };
    expandJobTemplates(req);
    expect(jobs(req.graph)).toEqual(jobs(graph));
  });

  it("is computed once per graph, so Generate and Validate send the same messages", () => {
    expect(templateGraph(graph)).toBe(templateGraph(graph));
  });

  it("goes only to plugins that declare the feature; others get the whole graph", () => {
    expect(graphFor(["graph-templates"], graph)).toBe(templateGraph(graph));
    const whole = graphFor([], graph);
    expect(whole).toEqual({ graph, templates: [] });
    expect(graphFor(["something-else"], graph)).toBe(whole);
  });

  it("sends no graph to the Validate hook of a plugin that reads none (validate-without-graph)", () => {
    expect(graphFor(["graph-templates", "validate-without-graph"], graph, "validate")).toEqual({ graph: [], templates: [] });
    expect(graphFor(["graph-templates", "validate-without-graph"], graph, "generate")).toBe(templateGraph(graph));
    expect(graphFor(["graph-templates"], graph, "validate")).toBe(templateGraph(graph));
  });

  it("sends variants whole when they do not share their other fields", () => {
    const [a, b] = graph.filter((r) => r.spec.case === "job" && r.spec.value.jobId === "test") as [Resource, Resource];
    if (b.spec.case !== "job") throw new Error("not a job");
    const differs: Resource = { ...b, spec: { case: "job", value: { ...b.spec.value, env: { A: "2" } } } };
    const sent = templateGraph([a, differs]);
    expect(sent.templates).toEqual([]);
    expect(sent.graph).toEqual([a, differs]);
  });

  it("keeps per-variant needs when the variants need different jobs", () => {
    const v = (id: string, needs: string[]) =>
      create(ResourceSchema, {
        id: `job:${id}`,
        kind: Resource_Kind.JOB,
        spec: { case: "job", value: create(JobResourceSchema, { jobId: "t", matrix: { x: id }, needs }) },
      });
    const shared = create(JobResourceSchema, { jobId: "t" });
    const [x, y] = [v("t-a", ["job:a"]), v("t-b", ["job:b"])];
    for (const r of [x, y])
      if (r.spec.case === "job") r.spec.value = { ...shared, matrix: r.spec.value.matrix, needs: r.spec.value.needs, jobId: "t" };
    const sent = templateGraph([x, y]);
    expect(sent.templates[0]?.job?.needs).toEqual([]);
    expect(jobs(sent.graph).map((j) => j?.needs)).toEqual([["job:a"], ["job:b"]]);
  });
});
