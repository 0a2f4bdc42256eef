import type { ValidateRequest, ValidateResponseSchema } from "@cig/proto";
import { type Diag, errorDiag, type Reply, warningDiag } from "@cig/sdk";
import { isMap, isSeq, type Node, parseDocument } from "yaml";

const PIPELINE_PATH = /^\.buildkite\/(?:[^/]+\/)*[^/]+\.ya?ml$/;
// A plugin pinned to a release: name#v1.2.3 (or a full commit SHA).
const PINNED = /#(?:v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?|[0-9a-f]{40})$/;

/**
 * The validate hook: checks the merged pipeline files under .buildkite/
 * (other plugins may have merged into them) for YAML errors, and for
 * plugins that follow a branch or a floating major instead of a release
 * tag, which run whatever that ref holds at the time.
 */
export function validatePipeline(req: ValidateRequest): Reply<typeof ValidateResponseSchema> {
  const diagnostics: Diag[] = [];
  for (const file of req.rendered) {
    if (!PIPELINE_PATH.test(file.path)) continue;
    const doc = parseDocument(file.content, { prettyErrors: false });
    if (doc.errors.length > 0) {
      diagnostics.push(
        errorDiag(
          "PROVIDER_BUILDKITE_INVALID_YAML",
          `${file.path} is not valid YAML`,
          doc.errors[0]?.message ?? "",
          "A plugin merged invalid YAML into the pipeline: run `cig --verbose render` to see which fragment.",
        ),
      );
      continue;
    }
    for (const ref of pluginRefs(doc.contents)) {
      if (PINNED.test(ref) || ref.startsWith("./") || ref.startsWith("file://")) continue;
      diagnostics.push(
        warningDiag(
          "PROVIDER_BUILDKITE_UNPINNED_PLUGIN",
          `${ref} is not pinned to a release`,
          `${file.path} uses the plugin ${ref}, which follows a branch or a floating version: each build gets whatever it points to at the time.`,
          "Pin the plugin to a full release tag (name#v1.2.3) or a commit SHA.",
        ),
      );
    }
  }
  return { diagnostics };
}

// Every plugin reference of every step (groups included), in file order, once each.
function pluginRefs(root: Node | null): string[] {
  const refs = new Set<string>();
  const visitSteps = (steps: unknown) => {
    if (!isSeq(steps)) return;
    for (const step of steps.items) {
      if (!isMap(step)) continue;
      visitSteps(step.get("steps", true));
      const plugins = step.get("plugins", true);
      const entries = isSeq(plugins) ? plugins.items : isMap(plugins) ? [plugins] : [];
      for (const entry of entries) {
        if (isMap(entry)) for (const pair of entry.items) refs.add(String((pair.key as { value?: unknown })?.value ?? pair.key));
        else refs.add(String((entry as { value?: unknown })?.value ?? entry));
      }
    }
  };
  if (isMap(root)) visitSteps(root.get("steps", true));
  return [...refs];
}
