import { definePlugin, VALIDATE_WITHOUT_GRAPH } from "@cig/sdk";
import { generatePipeline } from "./generate-pipeline.js";
import { validatePipeline } from "./validate-pipeline.js";

/**
 * The provider/gitlab std plugin: renders the resolved job graph as a GitLab
 * CI pipeline (generate) and checks the merged file (validate). Rendering
 * rules and key order: docs/providers/gitlab.md.
 */
export const providerGitlabDefinition = definePlugin({
  info: {
    name: "provider/gitlab",
    version: "0.1.0",
    description: "Renders GitLab CI pipelines (.gitlab-ci.yml) from the cig job graph",
    capabilities: ["provider:gitlab"],
    // Validate reads only the rendered files and the schema.
    features: [VALIDATE_WITHOUT_GRAPH],
  },
  generate: (req) => generatePipeline(req),
  validate: (req) => validatePipeline(req),
});
