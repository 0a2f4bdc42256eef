import { Fragment_Format, type GenerateRequest, type GenerateResponseSchema, MergeStrategy } from "@cig/proto";
import { type Diag, type OutputPathOptions, outputPaths, type Reply, warningDiag, wrongTargetDiag } from "@cig/sdk";
import { block, groovyString } from "./groovy-text.js";
import { planStages } from "./plan-stages.js";
import { renderPipelineHeader } from "./render-pipeline-header.js";
import { skipMachinery } from "./render-skip-machinery.js";
import { renderStage } from "./render-stage.js";

/** Where the pipeline goes when cig.toml has no `[[outputs]]` entry for jenkins: Jenkins' default script path. */
export const DEFAULT_OUTPUT_PATH = "Jenkinsfile";

// The output paths to write: a job's script path may name any file, so none gets a warning.
const OUTPUT_PATHS: OutputPathOptions = {
  provider: "jenkins",
  defaultPath: DEFAULT_OUTPUT_PATH,
  example: '"Jenkinsfile" or "ci/Jenkinsfile"',
};

/**
 * The generate hook: one declarative Jenkinsfile per jenkins output, each
 * holding every job. Jobs become stages in topological levels; a level with
 * several jobs is a `parallel` block. With a skippable job, a first stage
 * computes the work signatures and each skippable stage runs only when they
 * say so (render-skip-machinery); without one the output is as before, byte
 * for byte. `req.decisions` (run-time rendering) is ignored: Jenkins decides
 * at run time through `when`, so one static file serves every build.
 * Problems are diagnostics; this never throws on user input.
 */
export function generateJenkinsfile(req: GenerateRequest): Reply<typeof GenerateResponseSchema> {
  const wrong = wrongTargetDiag(req.target, "jenkins", "Jenkins pipelines");
  if (wrong) return { diagnostics: [wrong] };
  const diagnostics: Diag[] = [];
  const paths = outputPaths(req.outputs, OUTPUT_PATHS, diagnostics);
  const { levels, diagnostics: planDiags } = planStages(req.graph);
  diagnostics.push(...planDiags);
  if (levels.length === 0) {
    diagnostics.push(
      warningDiag(
        "PROVIDER_JENKINS_NO_JOBS",
        "No jobs to render for Jenkins",
        "The graph has no job resources, and a declarative pipeline needs at least one stage, so no Jenkinsfile was written.",
        "Add a [jobs.<id>] table to cig.toml.",
      ),
    );
    return { diagnostics };
  }

  const caches = new Map((req.schema?.caches ?? []).map((c) => [c.name, c]));
  const skip = levels.some((l) => l.some((v) => v.job.skippable)) ? skipMachinery(req.schema) : undefined;
  const stages = levels.flatMap((level, i) => {
    const rendered = level.map((v) => renderStage(v, caches, diagnostics, v.job.skippable ? skip?.command : undefined));
    // A level of one job is its stage; several run side by side under a wrapper named after the level.
    if (rendered.length === 1) return rendered[0] as string[];
    return block(`stage(${groovyString(`level ${i + 1}`)})`, block("parallel", rendered.flat()));
  });
  const header = renderPipelineHeader(req.schema?.workflow, diagnostics, skip?.forceParameter);
  const pipeline = block("pipeline", [...header, ...block("stages", [...(skip?.stage ?? []), ...stages])]);
  const content = `${[...(skip?.preamble ?? []), ...pipeline].join("\n")}\n`;
  const fragments = paths.map((path) => ({ path, content, strategy: MergeStrategy.REPLACE, format: Fragment_Format.GROOVY }));
  return { fragments, diagnostics };
}
