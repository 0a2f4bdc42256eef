import type { ValidateRequest, ValidateResponseSchema } from "@cig/proto";
import { type Diag, errorDiag, type Reply } from "@cig/sdk";
import { isMap, isScalar, isSeq, type Node, parseDocument, type YAMLMap } from "yaml";
import { DEFAULT_OUTPUT_PATH } from "./generate-pipeline.js";

// Top-level keys that are not jobs.
const GLOBAL_KEYS = new Set([
  "workflow",
  "stages",
  "variables",
  "default",
  "include",
  "image",
  "services",
  "cache",
  "before_script",
  "after_script",
  "spec",
  "types",
]);
const DEFAULT_STAGES = [".pre", "build", "test", "deploy", ".post"];

/**
 * The validate hook: checks the merged pipeline files (other plugins may have
 * merged into them) for what GitLab rejects when the pipeline is created —
 * invalid YAML, a `needs` naming no job, a `stage` not in `stages`, a job
 * without `script` — so that `cig render` fails before a push does.
 */
export function validatePipeline(req: ValidateRequest): Reply<typeof ValidateResponseSchema> {
  const mine = new Set([DEFAULT_OUTPUT_PATH, ...(req.schema?.outputs ?? []).filter((o) => o.provider === "gitlab").map((o) => o.path)]);
  const diagnostics: Diag[] = [];
  for (const file of req.rendered) {
    if (!mine.has(file.path)) continue;
    const doc = parseDocument(file.content, { prettyErrors: false });
    if (doc.errors.length > 0 || !isMap(doc.contents)) {
      diagnostics.push(
        problem("PROVIDER_GITLAB_INVALID_YAML", `${file.path} is not valid YAML`, doc.errors[0]?.message ?? "not a mapping"),
      );
      continue;
    }
    diagnostics.push(...checkJobs(file.path, doc.contents));
  }
  return { diagnostics };
}

function checkJobs(path: string, root: YAMLMap): Diag[] {
  const diagnostics: Diag[] = [];
  const stagesNode = root.get("stages", true);
  const stages = isSeq(stagesNode) ? [".pre", ...stagesNode.items.map(text), ".post"] : DEFAULT_STAGES;
  const jobs = new Map<string, Node>();
  for (const pair of root.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!GLOBAL_KEYS.has(name) && !name.startsWith(".") && isMap(pair.value)) jobs.set(name, pair.value);
  }
  for (const [name, node] of jobs) {
    const job = node as YAMLMap;
    const stage = job.get("stage", true);
    if (stage !== undefined && !stages.includes(text(stage))) {
      diagnostics.push(
        problem("PROVIDER_GITLAB_UNKNOWN_STAGE", `${path}: job ${name} is in stage ${text(stage)}, which stages does not list`, ""),
      );
    }
    const needs = job.get("needs", true);
    for (const need of isSeq(needs) ? needs.items : []) {
      const target = isMap(need) ? text(need.get("job", true)) : text(need);
      const external = isMap(need) && (need.has("project") || need.has("pipeline"));
      if (!external && !jobs.has(target)) {
        diagnostics.push(problem("PROVIDER_GITLAB_UNKNOWN_NEED", `${path}: job ${name} needs ${target}, which is not a job`, ""));
      }
    }
    if (!job.has("script") && !job.has("trigger") && !job.has("run") && !job.has("extends")) {
      diagnostics.push(problem("PROVIDER_GITLAB_NO_SCRIPT", `${path}: job ${name} has no script`, ""));
    }
  }
  return diagnostics;
}

function text(node: unknown): string {
  return isScalar(node) ? String(node.value) : "";
}

function problem(code: string, title: string, detail: string): Diag {
  return errorDiag(
    code,
    title,
    `${detail ? `${detail}. ` : ""}GitLab refuses to create a pipeline from this file.`,
    "A plugin merged a fragment GitLab cannot use: run `cig --verbose render` to see which one.",
  );
}
