import { type Resource, Resource_Kind, type SkipDecisions } from "@cig/proto";
import { rewireSkippedNeeds } from "@cig/sdk";

/** The graph a run-time (child) pipeline renders. */
export interface RunTimeGraph {
  /** The job resources that run, in graph order, their needs rewritten past the skipped ones. */
  graph: Resource[];
  /** Resource id → signature of each skippable variant that runs: its pass is recorded when it succeeds. */
  records: Map<string, string>;
  /** Resource ids of the variants left out. */
  skipped: string[];
}

// The only signatures a marker is written for (docs/work-signatures.md); anything else is a core bug.
const SIGNATURE = /^blake3:[0-9a-f]{64}$/;

/**
 * The variants of `graph` that run according to `decisions` (keyed
 * "job:<variant>"), with every need on a skipped variant replaced by its
 * nearest running ancestors. A variant that is not skippable always runs,
 * and so does one the decisions do not mention: a mismatch between the
 * renderer and the command must never skip a job.
 */
export function runTimeGraph(graph: readonly Resource[], decisions: SkipDecisions): RunTimeGraph {
  const jobs = graph.filter((r) => r.kind === Resource_Kind.JOB && r.spec.case === "job");
  const skippable = new Set(jobs.filter((r) => r.spec.case === "job" && r.spec.value.skippable).map((r) => r.id));
  const runs = (id: string) => !skippable.has(id) || (decisions.jobs[id]?.shouldRun ?? true);
  const needs = rewireSkippedNeeds(
    jobs.map((r) => ({ id: r.id, needs: r.spec.case === "job" ? r.spec.value.needs : [] })),
    runs,
  );
  const out: RunTimeGraph = { graph: [], records: new Map(), skipped: [] };
  for (const r of graph) {
    if (r.kind !== Resource_Kind.JOB || r.spec.case !== "job") {
      out.graph.push(r);
      continue;
    }
    const rewritten = needs.get(r.id);
    if (!rewritten) {
      out.skipped.push(r.id);
      continue;
    }
    out.graph.push({ ...r, spec: { case: "job", value: { ...r.spec.value, needs: rewritten } } });
    const signature = decisions.jobs[r.id]?.signature ?? "";
    if (skippable.has(r.id) && SIGNATURE.test(signature)) out.records.set(r.id, signature);
  }
  return out;
}
