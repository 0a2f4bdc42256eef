import type { MessageInitShape } from "@bufbuild/protobuf";
import { type GenerateRequestSchema, Resource_Kind } from "@cig/proto";

// Terse builders for hand-written GenerateRequests, for provider tests: the
// shapes the core sends, without repeating protobuf boilerplate in every test.
// Init shapes only (plain objects); the full message variants would demand $typeName.
type Init<T> = Exclude<T, { $typeName: string }>;

/** A GenerateRequest as tests write it. */
export type GenerateRequestInit = Init<MessageInitShape<typeof GenerateRequestSchema>>;
/** A graph resource as tests write it. */
export type ResourceInit = Init<NonNullable<GenerateRequestInit["graph"]>[number]>;
/** A job resource's spec as tests write it. */
export type JobInit = Init<Extract<NonNullable<ResourceInit["spec"]>, { case: "job" }>["value"]>;
/** A step as tests write it. */
export type StepInit = Init<NonNullable<JobInit["steps"]>[number]>;
type UsesInit = Init<Extract<NonNullable<StepInit["action"]>, { case: "uses" }>["value"]>;
type ValueInit = NonNullable<UsesInit["with"]>[string];
type RunnerInit = NonNullable<JobInit["runner"]>;
type SchemaInit = Init<NonNullable<GenerateRequestInit["schema"]>>;

/**
 * The core's name for one matrix cell ("test-ruby3.2-amd64"): the job id, then
 * each value in the cell's key order, prefixed by its key when it starts with
 * a digit or is empty. Unlike the core, characters a platform cannot use in a
 * name are kept, so tests can check that a provider encodes them.
 */
export function variantName(jobId: string, matrix: Readonly<Record<string, string>>): string {
  const parts = Object.entries(matrix).map(([k, v]) => (v === "" || /^[0-9]/.test(v) ? `${k}${v}` : v));
  return parts.length === 0 ? jobId : `${jobId}-${parts.join("-")}`;
}

/** A `run` step; `extra` sets the other step fields (name, condition, passthrough, …). */
export function runStep(command: string, extra: Omit<StepInit, "action"> = {}): StepInit {
  return { ...extra, action: { case: "run", value: { command } } };
}

/** A `uses` step with scalar inputs (google.protobuf.Values of the matching kind). */
export function usesStep(
  ref: string,
  inputs: Record<string, string | number | boolean> = {},
  extra: Omit<StepInit, "action"> = {},
): StepInit {
  const w: Record<string, ValueInit> = {};
  for (const [k, v] of Object.entries(inputs)) {
    w[k] = {
      kind:
        typeof v === "string"
          ? { case: "stringValue", value: v }
          : typeof v === "number"
            ? { case: "numberValue", value: v }
            : { case: "boolValue", value: v },
    };
  }
  return { ...extra, action: { case: "uses", value: { ref, with: w } } };
}

/** A `setup_tool` step (`cache` names the package manager whose cache the setup enables, or ""). */
export function setupToolStep(tool: string, version: string, cache = "", extra: Omit<StepInit, "action"> = {}): StepInit {
  return { ...extra, action: { case: "setupTool", value: { tool, version, cache } } };
}

/** What {@link generateRequestBuilders} builds requests for. */
export interface RequestBuilderOptions {
  /** The request's target, e.g. "github". */
  target: string;
  /** The runner every job gets unless its spec names one; none when absent. */
  runner?: RunnerInit;
}

/** Builders bound to one provider's target and default runner. */
export interface GenerateRequestBuilders {
  /** A JOB resource for variant `variantId` ("test-ruby3.2") of cig job `jobId` (default: the variant id). */
  job(variantId: string, spec?: JobInit): ResourceInit;
  /** Every variant of a matrix job, named as the core names them ({@link variantName}), sharing `spec`. */
  variants(jobId: string, cells: Array<Record<string, string>>, spec?: JobInit): ResourceInit[];
  /** A request for the target with `graph`, a minimal schema (version, project "demo") under `schema`, and `rest`. */
  request(graph: ResourceInit[], schema?: SchemaInit, rest?: Omit<GenerateRequestInit, "graph" | "schema">): GenerateRequestInit;
  /** {@link runStep}. */
  run: typeof runStep;
  /** {@link usesStep}. */
  uses: typeof usesStep;
  /** {@link setupToolStep}. */
  setup: typeof setupToolStep;
}

/**
 * Request builders for one provider's tests:
 * `const { job, run, request } = generateRequestBuilders({ target: "github", runner: LINUX })`.
 */
export function generateRequestBuilders(options: RequestBuilderOptions): GenerateRequestBuilders {
  const { target, runner } = options;
  const job = (variantId: string, spec: JobInit = {}): ResourceInit => ({
    id: `job:${variantId}`,
    kind: Resource_Kind.JOB,
    spec: { case: "job", value: { jobId: variantId, ...(runner ? { runner } : {}), ...spec } },
  });
  return {
    job,
    variants: (jobId, cells, spec = {}) => cells.map((matrix) => job(variantName(jobId, matrix), { ...spec, jobId, matrix })),
    request: (graph, schema = {}, rest = {}) => ({
      target,
      graph,
      schema: { version: "0.2", project: { name: "demo" }, ...schema },
      ...rest,
    }),
    run: runStep,
    uses: usesStep,
    setup: setupToolStep,
  };
}
