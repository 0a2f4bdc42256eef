import { definePlugin, VALIDATE_WITHOUT_GRAPH } from "@cig/sdk";
import { generatePipeline } from "./generate-pipeline.js";
import { validatePipeline } from "./validate-pipeline.js";

/**
 * The provider/buildkite std plugin: renders the resolved job graph as a
 * Buildkite pipeline (generate) and checks the merged files (validate).
 * Rendering rules, key order and pinned plugins: docs/providers/buildkite.md.
 */
export const providerBuildkiteDefinition = definePlugin({
  info: {
    name: "provider/buildkite",
    version: "0.1.0",
    description: "Renders Buildkite pipelines (.buildkite/pipeline.yml) from the cig job graph",
    capabilities: ["provider:buildkite"],
    // Validate reads only the rendered files and the schema.
    features: [VALIDATE_WITHOUT_GRAPH],
  },
  generate: (req) => generatePipeline(req),
  validate: (req) => validatePipeline(req),
});
