/**
 * Terse builders for hand-written GenerateRequests: the shapes the core
 * sends, without repeating protobuf boilerplate in every test.
 */
import { Resource_Kind } from "@cig/proto";
import type { TestHarness } from "@cig/sdk";

// Init shapes only (plain objects); the full message variants would demand $typeName.
type Init<T> = Exclude<T, { $typeName: string }>;
type Request = Init<NonNullable<Parameters<TestHarness["generate"]>[0]>>;
type ResourceInit = Init<NonNullable<Request["graph"]>[number]>;
type JobInit = Init<Extract<NonNullable<ResourceInit["spec"]>, { case: "job" }>["value"]>;
/** A step as tests write it. */
export type StepInit = Init<NonNullable<JobInit["steps"]>[number]>;

/** A runner mapped to GitLab runners tagged `linux`. */
export const LINUX = { name: "linux", providers: { gitlab: { tags: ["linux"] } } };

/** A JOB resource for variant `variantId` ("test-ruby3.2") of cig job `jobId`. */
export function job(variantId: string, spec: JobInit = {}): ResourceInit {
  return {
    id: `job:${variantId}`,
    kind: Resource_Kind.JOB,
    spec: { case: "job", value: { jobId: variantId, runner: LINUX, ...spec } },
  };
}

/** Every variant of a matrix job, in the core's naming ("test-ruby3.2-amd64"), sharing `spec`. */
export function variants(jobId: string, cells: Array<Record<string, string>>, spec: JobInit = {}): ResourceInit[] {
  return cells.map((matrix) =>
    job(
      `${jobId}-${Object.entries(matrix)
        .map(([k, v]) => (/^\d/.test(v) ? `${k}${v}` : v))
        .join("-")}`,
      { ...spec, jobId, matrix },
    ),
  );
}

/** A `run` step. */
export function run(command: string, extra: Omit<StepInit, "action"> = {}): StepInit {
  return { ...extra, action: { case: "run", value: { command } } };
}

/** A `uses` step without inputs. */
export function uses(ref: string, extra: Omit<StepInit, "action"> = {}): StepInit {
  return { ...extra, action: { case: "uses", value: { ref } } };
}

/** A setup_tool step. */
export function setup(tool: string, version: string, cache = ""): StepInit {
  return { name: `Set up ${tool}`, action: { case: "setupTool", value: { tool, version, cache } } };
}

/** A request for target gitlab with `graph` and optional schema parts. */
export function request(
  graph: ResourceInit[],
  schema: Init<NonNullable<Request["schema"]>> = {},
  rest: Omit<Request, "graph" | "schema"> = {},
): Request {
  return { target: "gitlab", graph, schema: { version: "0.2", project: { name: "demo" }, ...schema }, ...rest };
}
