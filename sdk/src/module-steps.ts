import { type Job, Resource_Kind, type ResourceSchema, StepResource_Placement, type StepSchema } from "@cig/proto";
import type { Reply } from "./define-plugin.js";

/** A SETUP step a module contributes to job `jobId`, with id `step:<job>/<name>`. */
export function setupStep(jobId: string, name: string, order: number, step: Reply<typeof StepSchema>): Reply<typeof ResourceSchema> {
  return {
    id: `step:${jobId}/${name}`,
    kind: Resource_Kind.STEP,
    spec: { case: "step", value: { jobId, placement: StepResource_Placement.SETUP, order, step } },
  };
}

/**
 * The tool version for a job: a matrix axis named in `axes` (e.g. "ruby")
 * sets it per variant as `{{ matrix.<axis> }}`, left for the provider;
 * otherwise `fallback` (the detected version or a default).
 */
export function matrixOrVersion(job: Job, axes: ReadonlySet<string>, fallback: string): string {
  const axis = job.matrix?.axes.find((a) => axes.has(a.name))?.name;
  return axis ? `{{ matrix.${axis} }}` : fallback;
}
