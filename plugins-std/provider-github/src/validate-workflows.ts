import type { Resource, ValidateRequest, ValidateResponseSchema } from "@cig/proto";
import { type Diag, type DiagTarget, errorDiag, type Reply, warningDiag } from "@cig/sdk";
import { isMap, isScalar, isSeq, type Node, parseDocument } from "yaml";
import { graphForLocations, renderedRefs } from "./rendered-refs.js";

const WORKFLOW_PATH = /^\.github\/workflows\/[^/]+\.ya?ml$/;
// Pinned: a full commit SHA, or a version tag (v4, v4.1.2, 1.2.3).
const PINNED = /^(?:[0-9a-f]{40}|v?\d+(?:\.\d+){0,2}(?:[-+][0-9A-Za-z.-]+)?)$/;

/**
 * The validate hook: checks the merged workflow files (other plugins may have
 * merged into them) for YAML errors and for `uses:` references that follow a
 * branch (`@main`) instead of a version or commit, which run whatever the
 * branch holds today.
 */
export function validateWorkflows(req: ValidateRequest): Reply<typeof ValidateResponseSchema> {
  const diagnostics: Diag[] = [];
  for (const file of req.rendered) {
    if (!WORKFLOW_PATH.test(file.path)) continue;
    const known = renderedRefs(file.content);
    if (known) {
      diagnostics.push(...unpinnedRefs(file.path, known, graphForLocations(req.graph)));
      continue;
    }
    const doc = parseDocument(file.content, { prettyErrors: false });
    if (doc.errors.length > 0) {
      diagnostics.push(
        errorDiag(
          "PROVIDER_GITHUB_INVALID_YAML",
          `${file.path} is not valid YAML`,
          doc.errors[0]?.message ?? "",
          "A plugin merged invalid YAML into the workflow: run `cig --verbose render` to see which fragment.",
        ),
      );
      continue;
    }
    diagnostics.push(...unpinnedRefs(file.path, usesRefs(doc.contents), graphForLocations(req.graph)));
  }
  return { diagnostics };
}

function unpinnedRefs(path: string, refs: readonly string[], graph: readonly Resource[]): Diag[] {
  const out: Diag[] = [];
  for (const ref of refs) {
    if (ref.startsWith("./") || ref.startsWith("docker://")) continue;
    const at = ref.lastIndexOf("@");
    if (at >= 0 && PINNED.test(ref.slice(at + 1))) continue;
    out.push(unpinned(path, ref, findStep(graph, ref)));
  }
  return out;
}

// Every `uses:` of a job (reusable workflow) or a step, in file order, once each.
function usesRefs(root: Node | null): string[] {
  const refs = new Set<string>();
  const jobs = isMap(root) ? root.get("jobs", true) : undefined;
  if (!isMap(jobs)) return [];
  for (const pair of jobs.items) {
    const job = pair.value;
    if (!isMap(job)) continue;
    const jobUses = job.get("uses", true);
    if (isScalar(jobUses)) refs.add(String(jobUses.value));
    const steps = job.get("steps", true);
    if (!isSeq(steps)) continue;
    for (const step of steps.items) {
      const uses = isMap(step) ? step.get("uses", true) : undefined;
      if (isScalar(uses)) refs.add(String(uses.value));
    }
  }
  return [...refs];
}

// The cig.toml step that wrote this reference, for a location the user can jump to.
function findStep(graph: readonly Resource[], ref: string): DiagTarget {
  for (const r of graph) {
    if (r.spec.case !== "job") continue;
    for (const step of r.spec.value.steps) {
      const candidates = [step, ...step.providerOverrides.filter((o) => o.provider === "github").map((o) => o.step)];
      if (candidates.some((s) => s?.action.case === "uses" && s.action.value.ref === ref)) return { resourceId: r.id, loc: step.loc };
    }
  }
  return {};
}

function unpinned(path: string, ref: string, at: DiagTarget): Diag {
  const branch = ref.includes("@") ? ref.slice(ref.lastIndexOf("@") + 1) : "";
  return warningDiag(
    "PROVIDER_GITHUB_UNPINNED_ACTION",
    `${ref} is not pinned to a version`,
    branch
      ? `${path} uses ${ref}: "${branch}" looks like a branch, so each run gets whatever that branch holds at the time.`
      : `${path} uses ${ref} without a version; GitHub rejects a step reference without @<ref>.`,
    "Pin the action to a release tag (owner/repo@v1) or a full commit SHA.",
    at,
  );
}
