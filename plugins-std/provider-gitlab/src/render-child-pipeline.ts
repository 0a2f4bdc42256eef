import type { GenerateRequest, SkipDecisions } from "@cig/proto";
import { type JsonMap, setIf } from "@cig/sdk";
import { CHILD_SUBJECT_VARIABLE } from "./condition-rules.js";
import { planGitlabJobs } from "./plan-gitlab-jobs.js";
import { renderJobs } from "./render-jobs.js";
import { recordPass, renderNothingToRun, renderRecordJob } from "./render-pass-records.js";
import { runTimeGraph } from "./run-time-graph.js";
import { NOTHING_JOB, RECORD_JOB, type SkipSettings } from "./skip-settings.js";

/** A child pipeline runs only as its parent's `cig-pipeline` trigger: the parent's workflow rules already decided. */
export const CHILD_RULES: JsonMap[] = [{ if: '$CI_PIPELINE_SOURCE == "parent_pipeline"' }];

/**
 * The run-time (child) pipeline (docs/providers/gitlab.md#skipping-unchanged-jobs):
 * the jobs of the variants that run, needs rewritten past the skipped ones
 * and stages recomputed; each skippable variant that runs records its pass,
 * and `cig-record` saves the passes to the cache. Event conditions read
 * `$CIG_PIPELINE_SOURCE`, the parent's source. With every job skipped, the
 * one job `cig-nothing-to-run` (GitLab rejects an empty pipeline).
 */
export function renderChildPipeline(
  req: GenerateRequest,
  decisions: SkipDecisions,
  s: SkipSettings,
  parentWorkflow: JsonMap,
  variables: JsonMap,
): JsonMap {
  const workflow: JsonMap = { rules: CHILD_RULES };
  setIf(workflow, "auto_cancel", parentWorkflow.auto_cancel);
  const graph = runTimeGraph(req.graph, decisions);
  // The full graph was planned and reported already; the pruned one has no problem the full one lacks.
  const planned = planGitlabJobs(graph.graph).jobs;
  if (planned.length === 0) {
    const pipeline: JsonMap = { workflow, stages: ["cig"] };
    setIf(pipeline, "variables", variables);
    pipeline[NOTHING_JOB] = renderNothingToRun(s);
    return pipeline;
  }
  const rendered = renderJobs(planned, req, CHILD_SUBJECT_VARIABLE);
  const pipeline: JsonMap = { workflow, stages: rendered.stages };
  setIf(pipeline, "variables", variables);
  const recorded: string[] = [];
  for (const { gl, key, job } of rendered.jobs) {
    const signature = graph.records.get(gl.resourceId);
    if (signature === undefined || job.trigger !== undefined) {
      pipeline[key] = job;
      continue;
    }
    pipeline[key] = recordPass(job, gl.resourceId.replace(/^job:/, ""), signature, s);
    recorded.push(gl.name);
  }
  if (recorded.length > 0) pipeline[RECORD_JOB] = renderRecordJob(recorded, s);
  return pipeline;
}
