import { create } from "@bufbuild/protobuf";
import { type JobResource, JobResourceSchema, type JobTemplate, JobTemplateSchema, type Resource, ResourceSchema } from "@cig/proto";

/** The protocol feature: the plugin accepts templated job variants (PluginInfo.features). */
export const GRAPH_TEMPLATES = "graph-templates";
/** The protocol feature: the plugin's validate hook reads neither `graph` nor `job_templates`. */
export const VALIDATE_WITHOUT_GRAPH = "validate-without-graph";
const NO_GRAPH: TemplatedGraph = { graph: [], templates: [] };

/** A graph as sent to plugins with the "graph-templates" feature. */
export interface TemplatedGraph {
  graph: Resource[];
  templates: JobTemplate[];
}

// Fields a variant keeps of its own; everything else its job's variants share.
const OWN = new Set(["jobId", "matrix", "needs", "template"]);
const SHARED_FIELDS = JobResourceSchema.fields.map((f) => f.localName).filter((n) => !OWN.has(n));
const cache = new WeakMap<readonly Resource[], TemplatedGraph>();
const wholeGraphs = new WeakMap<readonly Resource[], TemplatedGraph>();

/**
 * The graph as a plugin with these PluginInfo.features takes it: templated
 * with the feature, whole without; for its Validate hook, nothing at all when
 * it says it reads none.
 */
export function graphFor(
  features: readonly string[],
  graph: readonly Resource[],
  hook: "generate" | "validate" = "generate",
): TemplatedGraph {
  if (hook === "validate" && features.includes(VALIDATE_WITHOUT_GRAPH)) return NO_GRAPH;
  if (features.includes(GRAPH_TEMPLATES)) return templateGraph(graph);
  let whole = wholeGraphs.get(graph);
  if (!whole) {
    whole = { graph: [...graph], templates: [] };
    wholeGraphs.set(graph, whole);
  }
  return whole;
}

/**
 * The graph with each matrix job's variants sent as one template plus small
 * variants (id, matrix, and needs unless all of them need the same jobs, in
 * which case the template carries them), in the same order. A job's variants are
 * templated only when they really share every other field (checked, not
 * assumed); a lone variant or one that differs goes whole. Computed once per
 * graph, so Generate and Validate send the same messages (encoded once).
 */
export function templateGraph(graph: readonly Resource[]): TemplatedGraph {
  const hit = cache.get(graph);
  if (hit) return hit;
  const byJob = new Map<string, JobResource[]>();
  for (const r of graph) if (r.spec.case === "job") byJob.set(r.spec.value.jobId, [...(byJob.get(r.spec.value.jobId) ?? []), r.spec.value]);
  const templates: JobTemplate[] = [];
  // Job id → whether its template carries the needs (every variant needs the same jobs).
  const templated = new Map<string, boolean>();
  for (const [jobId, variants] of byJob) {
    const first = variants[0] as JobResource;
    if (variants.length < 2 || !variants.every((v) => sharesFields(v, first))) continue;
    const sharedNeeds = first.needs.length > 0 && variants.every((v) => same(v.needs, first.needs) || sameStrings(v.needs, first.needs));
    templated.set(jobId, sharedNeeds);
    templates.push(
      create(JobTemplateSchema, {
        id: jobId,
        job: { ...first, jobId: "", matrix: {}, needs: sharedNeeds ? first.needs : [], template: "" },
      }),
    );
  }
  const out: TemplatedGraph = {
    graph: graph.map((r) => {
      const sharedNeeds = r.spec.case === "job" ? templated.get(r.spec.value.jobId) : undefined;
      if (r.spec.case !== "job" || sharedNeeds === undefined) return r;
      const { jobId, matrix, needs } = r.spec.value;
      const small = create(JobResourceSchema, { jobId, matrix, needs: sharedNeeds ? [] : needs, template: jobId });
      return create(ResourceSchema, { id: r.id, kind: r.kind, owner: r.owner, spec: { case: "job", value: small } });
    }),
    templates,
  };
  cache.set(graph, out);
  return out;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sharesFields(a: JobResource, b: JobResource): boolean {
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  return SHARED_FIELDS.every((f) => same(ra[f], rb[f]));
}

// Identity, element-wise identity for lists, key-wise identity for maps: the
// graph builder and the pipeline give variants the same messages, so equal
// content that is not shared means something differs and the variant goes whole.
function same(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => v === y[i]);
  if (typeof x !== "object" || typeof y !== "object" || x === null || y === null || "$typeName" in x) return false;
  const kx = Object.keys(x);
  const ry = y as Record<string, unknown>;
  return kx.length === Object.keys(y).length && kx.every((k) => (x as Record<string, unknown>)[k] === ry[k]);
}
