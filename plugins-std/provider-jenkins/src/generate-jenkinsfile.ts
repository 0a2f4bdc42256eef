import { Fragment_Format, type GenerateRequest, type GenerateResponseSchema, MergeStrategy, type Output } from "@cig/proto";
import type { Reply } from "@cig/sdk";
import { type Diag, errorDiag, warningDiag } from "./diagnostics.js";
import { block, groovyString } from "./groovy-text.js";
import { planStages } from "./plan-stages.js";
import { renderPipelineHeader } from "./render-pipeline-header.js";
import { renderStage } from "./render-stage.js";

/** Where the pipeline goes when cig.toml has no `[[outputs]]` entry for jenkins: Jenkins' default script path. */
export const DEFAULT_OUTPUT_PATH = "Jenkinsfile";

/**
 * The generate hook: one declarative Jenkinsfile per jenkins output, each
 * holding every job. Jobs become stages in topological levels; a level with
 * several jobs is a `parallel` block. Problems are diagnostics; this never
 * throws on user input.
 */
export function generateJenkinsfile(req: GenerateRequest): Reply<typeof GenerateResponseSchema> {
  const diagnostics: Diag[] = [];
  if (req.target !== "" && req.target !== "jenkins") {
    diagnostics.push(
      errorDiag(
        "PROVIDER_JENKINS_WRONG_TARGET",
        `provider/jenkins was asked to render target ${req.target}`,
        `provider/jenkins renders Jenkins pipelines only; the core sent target "${req.target}".`,
        "This is a cig core bug: report it with `cig --verbose render`.",
      ),
    );
    return { diagnostics };
  }
  const paths = outputPaths(req.outputs, diagnostics);
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
  const stages = levels.flatMap((level, i) => {
    const rendered = level.map((v) => renderStage(v, caches, diagnostics));
    // A level of one job is its stage; several run side by side under a wrapper named after the level.
    if (rendered.length === 1) return rendered[0] as string[];
    return block(`stage(${groovyString(`level ${i + 1}`)})`, block("parallel", rendered.flat()));
  });
  const pipeline = block("pipeline", [...renderPipelineHeader(req.schema?.workflow, diagnostics), ...block("stages", stages)]);
  const content = `${pipeline.join("\n")}\n`;
  const fragments = paths.map((path) => ({ path, content, strategy: MergeStrategy.REPLACE, format: Fragment_Format.GROOVY }));
  return { fragments, diagnostics };
}

function outputPaths(outputs: readonly Output[], diagnostics: Diag[]): string[] {
  const mine = outputs.filter((o) => o.provider === "" || o.provider === "jenkins");
  if (mine.length === 0) return [DEFAULT_OUTPUT_PATH];
  const paths: string[] = [];
  for (const o of mine) {
    const path = o.path || DEFAULT_OUTPUT_PATH;
    if (path.startsWith("/") || path.includes("\\") || path.split("/").includes("..") || /^[A-Za-z]:/.test(path)) {
      diagnostics.push(
        errorDiag(
          "PROVIDER_JENKINS_BAD_OUTPUT_PATH",
          `Output path ${path} is not inside the repository`,
          "An [[outputs]] path must be relative to the repository root, with / separators and no ..; this output was skipped.",
          'Use a path such as "Jenkinsfile" or "ci/Jenkinsfile".',
        ),
      );
      continue;
    }
    if (!paths.includes(path)) paths.push(path);
  }
  return paths;
}
