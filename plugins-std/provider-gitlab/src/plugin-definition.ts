import { definePlugin } from "@cig/sdk";
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
  },
  generate: (req) => generatePipeline(req),
  validate: (req) => validatePipeline(req),
});
