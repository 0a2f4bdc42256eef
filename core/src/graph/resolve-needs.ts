import { suggestion } from "./did-you-mean.js";
import type { ExpandedJob } from "./expand-jobs.js";
import { findCycles, type NeedsEdge } from "./find-cycles.js";
import { type DiagnosticSink, GRAPH_CODES } from "./graph-diagnostics.js";

/**
 * Turns each job's `needs` into edges between jobs (indexes into `jobs`, in
 * the order written, a job named twice counted once) and reports needs that
 * name no job and every cycle. The config loader reports unknown needs
 * first; the graph checks again so that nothing it cannot place slips by.
 */
export function resolveNeeds(jobs: readonly ExpandedJob[], sink: DiagnosticSink): NeedsEdge[][] {
  const index = new Map<string, number>();
  const variantOf = new Map<string, string>();
  jobs.forEach(({ job, variants }, i) => {
    if (!index.has(job.id)) index.set(job.id, i);
    for (const v of variants) if (v.id !== job.id) variantOf.set(v.id, job.id);
  });
  const ids = jobs.map(({ job }) => job.id);

  const edges = jobs.map(({ job }) => {
    const out: NeedsEdge[] = [];
    const seen = new Set<number>();
    job.needs.forEach((name, i) => {
      const target = index.get(name);
      if (target === undefined) {
        const base = variantOf.get(name);
        sink.report({
          code: GRAPH_CODES.unknownNeeds,
          title: `job ${job.id} needs unknown job ${name}`,
          message: `"${name}" in the needs of job "${job.id}" is not a job in cig.toml.`,
          fixHint:
            base === undefined
              ? suggestion(name, ids, "jobs")
              : `"${name}" is a matrix variant of job "${base}"; need "${base}", which waits for all its variants.`,
          loc: sink.locate(["jobs", job.id, "needs", i], job.loc),
        });
      } else if (!seen.has(target)) {
        seen.add(target);
        out.push({ to: target, index: i });
      }
    });
    return out;
  });

  for (const cycle of findCycles(ids, edges)) {
    const from = jobs[index.get(cycle.from) ?? -1]?.job;
    const path = cycle.jobs.join(" → ");
    const self = cycle.jobs.length === 2;
    sink.report({
      code: GRAPH_CODES.cycle,
      title: self ? `job ${cycle.from} needs itself` : `dependency cycle: ${path}`,
      message: self
        ? `Job "${cycle.from}" lists itself in its needs, so it could never start.`
        : `${path}: each job needs the next, so none of them could ever start. ` +
          `The cycle closes at "${cycle.to}" in the needs of "${cycle.from}".`,
      fixHint: self
        ? `Remove "${cycle.from}" from its own needs.`
        : `Remove "${cycle.to}" from the needs of "${cycle.from}" (or another link of the cycle); ` +
          "if both jobs share work, move it into a job that both can need.",
      loc: sink.locate(["jobs", cycle.from, "needs", cycle.needsIndex], from?.loc),
    });
  }
  return edges;
}
