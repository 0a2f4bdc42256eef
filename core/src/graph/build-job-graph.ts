import { clone, create } from "@bufbuild/protobuf";
import {
  type CigSchema,
  type Dependency,
  Dependency_Kind,
  DependencySchema,
  type Diagnostic,
  JobResourceSchema,
  ResolvedRunnerSchema,
  type Resource,
  Resource_Kind,
  ResourceSchema,
  SkipIfSchema,
  SourceLocationSchema,
} from "@cig/proto";
import { canonicalStructMap, sortedRecord } from "./canonical-json.js";
import { compareUtf8 } from "./compare-utf8.js";
import { type ExpandedJob, expandJobs } from "./expand-jobs.js";
import { DiagnosticSink, type Locator } from "./graph-diagnostics.js";
import { JobInterpolator } from "./interpolate-job.js";
import { unknownVariableReporter } from "./report-unknown-variable.js";
import { cachesUsedBy, resolveCaches } from "./resolve-caches.js";
import { resolveNeeds } from "./resolve-needs.js";
import { topologicalOrder } from "./topological-order.js";

/** The planned job graph of one cig.toml. */
export interface JobGraph {
  /** KIND_JOB resources, one per matrix variant, in topological order (see {@link buildJobGraph}). */
  readonly jobs: Resource[];
  /** KIND_CACHE resources, one per `[caches.<name>]` table, by name. */
  readonly caches: Resource[];
  /** NEEDS edges between variants and USES edges from variants to caches, sorted by from, to, kind; built on first read. */
  readonly deps: Dependency[];
  /** Every problem found, in file order. Any error means the graph must not be rendered. */
  readonly diagnostics: Diagnostic[];
  /** False when a cycle made a topological order impossible. */
  readonly acyclic: boolean;
}

/**
 * Builds the job graph: expands matrices, resolves `needs` to variant ids,
 * interpolates `{{ }}` references, orders the variants (Kahn's algorithm,
 * ties by id in UTF-8 order; with a cycle, the variants it blocks follow in
 * id order) and reports every problem at once. Equal input gives equal
 * bytes, whatever the order of `schema.jobs` or of any map's keys.
 *
 * @param schema the structurally valid cig.toml
 * @param facts facts aggregated from the detect hook
 * @param locate maps document paths (["jobs", "test", "needs", 0]) to cig.toml positions
 */
export function buildJobGraph(schema: CigSchema, facts: Readonly<Record<string, string>>, locate?: Locator): JobGraph {
  const steps = graphSteps(schema, facts, locate);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * {@link buildJobGraph} in slices of about `sliceMs`, giving the event loop a
 * turn between them. The pipeline builds the graph while the modules plan:
 * their requests (hundreds of KB each) reach them through 64 KB pipes only
 * while this process's event loop runs, so a graph built in one piece held
 * the modules idle until it was done.
 */
export async function buildJobGraphInSlices(
  schema: CigSchema,
  facts: Readonly<Record<string, string>>,
  locate?: Locator,
  sliceMs = 4,
): Promise<JobGraph> {
  const steps = graphSteps(schema, facts, locate);
  let until = performance.now() + sliceMs;
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() >= until) {
      await new Promise((resolve) => setImmediate(resolve));
      until = performance.now() + sliceMs;
    }
  }
}

// The graph build as a generator that pauses between pieces of work of a job or less.
function* graphSteps(schema: CigSchema, facts: Readonly<Record<string, string>>, locate?: Locator): Generator<void, JobGraph> {
  const sink = new DiagnosticSink(locate, schema.sourcePath || "cig.toml");
  const expanded = expandJobs(
    [...schema.jobs].sort((a, b) => compareUtf8(a.id, b.id)),
    sink,
  );
  yield;
  const edges = resolveNeeds(expanded, sink);
  const caches = resolveCaches(schema, expanded, facts, sink);
  yield;

  const resources: Resource[][] = [];
  for (const [j, entry] of expanded.entries()) {
    yield;
    const needs = (edges[j] ?? []).flatMap((e) => (expanded[e.to] as ExpandedJob).variants.map((v) => `job:${v.id}`));
    const template = resolveJob(schema, entry, facts, sink);
    const variants = entry.variants.map(
      (variant): Resource => ({
        // Every field set: the message create() would build, without its reflection per variant.
        $typeName: ResourceSchema.typeName,
        id: `job:${variant.id}`,
        kind: Resource_Kind.JOB,
        owner: "cig",
        // A shallow copy: the variants share the template's steps, services and
        // maps, which nothing changes after this (attaching module contributions
        // assigns new arrays). A deep clone per variant cost ~100 ms at 5,000.
        spec: { case: "job", value: { ...template, matrix: sortedRecord(variant.values), needs: needs.slice() } },
      }),
    );
    resources.push(variants);
  }
  yield;

  const { order, acyclic } = topologicalOrder(
    expanded.map((entry, j) => ({ variants: entry.variants.map((v) => v.id), needs: (edges[j] ?? []).map((e) => e.to) })),
  );
  const jobs = order.map(([j, v]) => resources[j]?.[v] as Resource);
  // Edges are for `cig explain` and --json: built on first read (~100 ms of edges and sorting at 5,000 variants).
  let deps: Dependency[] | undefined;
  return {
    jobs,
    caches,
    get deps() {
      deps ??= graphEdges(schema, expanded, edges, sink);
      return deps;
    },
    diagnostics: sink.sorted(),
    acyclic,
  };
}

/** NEEDS edges between variants and USES edges from variants to caches, sorted by from, to, kind. */
function graphEdges(
  schema: CigSchema,
  expanded: readonly ExpandedJob[],
  edges: ReturnType<typeof resolveNeeds>,
  sink: DiagnosticSink,
): Dependency[] {
  const cacheNames = new Set(schema.caches.map((c) => c.name));
  const deps: Dependency[] = [];
  for (const [j, entry] of expanded.entries()) {
    const { job } = entry;
    const needed = (edges[j] ?? []).map((e) => ({ edge: e, target: expanded[e.to] as ExpandedJob }));
    const reasons = needed.map(
      ({ edge, target }) => `${job.id} needs ${target.job.id}${sink.at(["jobs", job.id, "needs", edge.index], job.loc)}`,
    );
    const uses = cachesUsedBy(job).filter((name) => cacheNames.has(name));
    for (const variant of entry.variants) {
      const id = `job:${variant.id}`;
      needed.forEach(({ target }, n) => {
        for (const v of target.variants) deps.push(dependency(id, `job:${v.id}`, Dependency_Kind.NEEDS, reasons[n] ?? ""));
      });
      for (const name of uses) deps.push(dependency(id, `cache:${name}`, Dependency_Kind.USES, `${job.id} uses cache ${name}`));
    }
  }
  return deps.sort((a, b) => compareUtf8(a.from, b.from) || compareUtf8(a.to, b.to) || a.kind - b.kind);
}

/**
 * Everything a job's variants share: its definition with strings
 * interpolated (matrix references stay placeholders, so this is the same for
 * every variant), maps in canonical order, and its runner resolved.
 */
function resolveJob(schema: CigSchema, entry: ExpandedJob, facts: Readonly<Record<string, string>>, sink: DiagnosticSink) {
  const { job } = entry;
  const scope = { matrix: entry.matrixKeys, variables: schema.variables, facts };
  const label = `job ${job.id}`;
  const report = unknownVariableReporter(sink, scope, entry.hasMatrix ? { label } : { label, resourceId: `job:${job.id}` });
  const it = new JobInterpolator(scope, report, job.loc);
  const path = ["jobs", job.id];
  const runnerName = job.runner || schema.project?.defaultRunner || "";
  const runner = schema.runners.find((r) => r.name === runnerName);
  return create(JobResourceSchema, {
    jobId: job.id,
    runner: create(ResolvedRunnerSchema, { name: runnerName, providers: canonicalStructMap(runner?.providers ?? {}) }),
    steps: job.steps.map((step, i) => it.step(step, [...path, "steps", i])),
    services: job.services.map((service) => it.service(service, [...path, "services", service.name])),
    caches: [...job.caches],
    env: it.record(job.env, [...path, "env"]),
    ...(job.skipIf
      ? {
          skipIf: create(SkipIfSchema, {
            // Paths take {{ }} like inputs do (a matrix value, a variable, a fact); env names and branch globs are literal.
            pathsUnmodified: it.list(job.skipIf.pathsUnmodified, [...path, "skip_if", "paths_unmodified"]),
            env: [...job.skipIf.env],
            branch: [...job.skipIf.branch],
          }),
        }
      : {}),
    timeoutMinutes: job.timeoutMinutes,
    condition: job.condition,
    packages: [...job.packages],
    passthrough: canonicalStructMap(job.passthrough),
    neverSkip: job.neverSkip,
    inputs: it.list(job.inputs, [...path, "inputs"]),
    // One rule for every provider: opting in is declaring what the job depends on.
    skippable: !job.neverSkip && (job.skipIf !== undefined || job.inputs.length > 0),
    ...(job.loc ? { loc: clone(SourceLocationSchema, job.loc) } : {}),
  });
}

function dependency(from: string, to: string, kind: Dependency_Kind, reason: string): Dependency {
  // Every field set: the message literal create() would build, without its reflection per edge.
  return { $typeName: DependencySchema.typeName, from, to, kind, reason };
}
