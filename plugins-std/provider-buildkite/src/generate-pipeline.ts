import { Fragment_Format, type GenerateRequest, type GenerateResponseSchema, MergeStrategy, Resource_Kind } from "@cig/proto";
import {
  type Diag,
  errorDiag,
  type JsonMap,
  type OutputPathOptions,
  orderKeys,
  outputPaths,
  type Reply,
  setIf,
  sortedStrings,
  warningDiag,
  wrongTargetDiag,
} from "@cig/sdk";
import { escapeDollarsDeep } from "./escape-dollars.js";
import { PIPELINE_KEY_ORDER } from "./key-order.js";
import { toPipelineYaml } from "./pipeline-yaml.js";
import { renderCommandStep, type Variant } from "./render-command-step.js";
import { bootstrapStep, nothingToRunStep } from "./signature-bootstrap.js";
import { type RuntimeVariant, runtimeVariants, skipRendering } from "./skip-machinery.js";
import { MAX_KEY_LENGTH, stepKey } from "./step-key.js";
import { triggerSettings } from "./trigger-settings.js";

/** Where the pipeline goes when cig.toml has no `[[outputs]]` entry for buildkite. */
export const DEFAULT_OUTPUT_PATH = ".buildkite/pipeline.yml";

// The output paths to write: a pipeline is uploaded from any path, so none gets a warning.
const OUTPUT_PATHS: OutputPathOptions = { provider: "buildkite", defaultPath: DEFAULT_OUTPUT_PATH };

/**
 * The generate hook: one pipeline file per buildkite output, each holding a
 * command step per job variant (cig has no per-output job selection yet).
 * With a skippable job, the file is instead the bootstrap step that renders
 * and uploads the variants that run; with `decisions` (run-time rendering),
 * it holds only those, each skippable one recording its pass
 * (skip-machinery.ts). Problems are diagnostics; this never throws on user input.
 */
export function generatePipeline(req: GenerateRequest): Reply<typeof GenerateResponseSchema> {
  const wrong = wrongTargetDiag(req.target, "buildkite", "Buildkite pipelines");
  if (wrong) return { diagnostics: [wrong] };
  const diagnostics: Diag[] = [];
  const outputs = outputPaths(req.outputs, OUTPUT_PATHS, diagnostics);
  const variants: Variant[] = req.graph.flatMap((r) =>
    r.kind === Resource_Kind.JOB && r.spec.case === "job" ? [{ resourceId: r.id, job: r.spec.value }] : [],
  );
  if (variants.length === 0) {
    diagnostics.push(
      warningDiag(
        "PROVIDER_BUILDKITE_NO_JOBS",
        "No jobs to render for Buildkite",
        "The graph has no job resources, and a Buildkite pipeline needs at least one step, so no pipeline file was written.",
        "Add a [jobs.<id>] table to cig.toml.",
      ),
    );
    return { diagnostics };
  }

  const keys = new Map<string, string>();
  for (const v of variants) {
    const { key, truncated } = stepKey(v.resourceId.replace(/^job:/, ""));
    if (truncated) diagnostics.push(keyTooLong(v));
    keys.set(v.resourceId, key);
  }
  const ctx = {
    schema: req.schema,
    caches: new Map((req.schema?.caches ?? []).map((c) => [c.name, c])),
    keys,
    axisOrder: new Map((req.schema?.jobs ?? []).map((j) => [j.id, (j.matrix?.axes ?? []).map((a) => a.name)])),
  };
  const skip = skipRendering(req, variants, keys, outputs);
  diagnostics.push(...skip.diagnostics);
  let rendered: RuntimeVariant[] = variants.map((variant) => ({ variant, runs: true }));
  if (skip.kind === "runtime") {
    const runtime = runtimeVariants(req, variants, skip.settings);
    diagnostics.push(...runtime.diagnostics);
    rendered = runtime.variants;
  }
  // Every variant is rendered, skipped or not, so that a pipeline reports the same problems whatever runs.
  // The graph's topological order is kept: Buildkite shows steps in file order.
  const steps = rendered.flatMap(({ variant, runs }) => {
    const r = renderCommandStep(variant, ctx);
    diagnostics.push(...r.diagnostics);
    return runs ? [r.step] : [];
  });
  diagnostics.push(...triggerSettings(req.schema?.workflow));

  const pipeline: JsonMap = {};
  setIf(pipeline, "env", escapeDollarsDeep(sortedStrings(req.schema?.workflow?.env ?? {}) ?? {}));
  if (skip.kind === "bootstrap") pipeline.steps = [escapeDollarsDeep(bootstrapStep(skip.settings))];
  else if (steps.length === 0 && skip.kind === "runtime") pipeline.steps = [escapeDollarsDeep(nothingToRunStep(skip.settings))];
  else pipeline.steps = steps;
  const content = toPipelineYaml(orderKeys(pipeline, PIPELINE_KEY_ORDER));
  const fragments = outputs.map((path) => ({ path, content, strategy: MergeStrategy.REPLACE, format: Fragment_Format.YAML }));
  return { fragments, diagnostics };
}

function keyTooLong(v: Variant): Diag {
  return errorDiag(
    "PROVIDER_BUILDKITE_KEY_TOO_LONG",
    `The step key of ${v.resourceId} is longer than ${MAX_KEY_LENGTH} characters`,
    `Buildkite step keys are at most ${MAX_KEY_LENGTH} characters; the key was shortened with a hash, so it no longer reads back as the variant id.`,
    "Use a shorter job id or shorter matrix values.",
    { resourceId: v.resourceId, loc: v.job.loc },
  );
}
