import { type JobResource, type Resource, Resource_Kind } from "@cig/proto";
import { compareStrings, type Diag, errorDiag } from "@cig/sdk";
import { naturalCompare } from "./natural-compare.js";

/** One JOB resource of the graph: a variant of a cig.toml job, rendered as one stage. */
export interface JobVariant {
  /** "job:test-ruby3.2-amd64". */
  resourceId: string;
  /** The stage name: the variant id, "test-ruby3.2-amd64". */
  id: string;
  job: JobResource;
  /** Variant ids this one needs, deduplicated and sorted: what `// cig: needs` records. */
  needs: string[];
}

/**
 * The graph as Jenkins can run it: topological levels. A job's level is one
 * more than the deepest level it needs, so every job starts after all it
 * needs; the jobs of one level run side by side in a `parallel` block. This
 * waits for more than `needs` says (a level waits for the whole previous
 * level), the one way a declarative pipeline can express a DAG.
 * Inside a level, stages are in natural order of their ids, so the bytes do
 * not depend on the order of the graph.
 */
export function planStages(graph: readonly Resource[]): { levels: JobVariant[][]; diagnostics: Diag[] } {
  const diagnostics: Diag[] = [];
  const variants = new Map<string, JobVariant>();
  for (const r of graph) {
    if (r.kind !== Resource_Kind.JOB || r.spec.case !== "job") continue;
    variants.set(r.id, { resourceId: r.id, id: r.id.replace(/^job:/, ""), job: r.spec.value, needs: [] });
  }
  for (const v of variants.values()) {
    const needs = new Set<string>();
    for (const need of v.job.needs) {
      const target = variants.get(need);
      if (target && target !== v) needs.add(target.id);
      else diagnostics.push(unknownNeed(v, need));
    }
    v.needs = [...needs].sort(compareStrings);
  }

  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const levelOf = (v: JobVariant): number => {
    const known = level.get(v.id);
    if (known !== undefined) return known;
    // A cycle is the core's to report (CIG_GRAPH_CYCLE); here it only must not recurse forever.
    if (visiting.has(v.id)) return 0;
    visiting.add(v.id);
    let deepest = -1;
    for (const need of v.needs) {
      const target = variants.get(`job:${need}`);
      if (target) deepest = Math.max(deepest, levelOf(target));
    }
    visiting.delete(v.id);
    level.set(v.id, deepest + 1);
    return deepest + 1;
  };

  const levels: JobVariant[][] = [];
  for (const v of variants.values()) {
    const n = levelOf(v);
    while (levels.length <= n) levels.push([]);
    levels[n]?.push(v);
  }
  for (const l of levels) l.sort((a, b) => naturalCompare(a.id, b.id));
  return { levels: levels.filter((l) => l.length > 0), diagnostics };
}

function unknownNeed(v: JobVariant, need: string): Diag {
  return errorDiag(
    "PROVIDER_JENKINS_UNKNOWN_NEED",
    `${v.resourceId} needs ${need}, which is not in the graph`,
    `The job ${v.resourceId} lists ${need} in needs, but the graph handed to provider/jenkins has no such job resource; the edge was left out.`,
    "This is a cig core bug when cig.toml is valid: report it with the output of `cig explain job`.",
    { resourceId: v.resourceId, loc: v.job.loc },
  );
}
