import { definePlugin, VALIDATE_WITHOUT_GRAPH } from "@cig/sdk";
import { generateWorkflows } from "./generate-workflows.js";
import { validateWorkflows } from "./validate-workflows.js";

/**
 * The provider/github std plugin: renders the resolved job graph as GitHub
 * Actions workflows (generate) and checks the merged files (validate).
 * Rendering rules, key order and pinned actions: docs/providers/github.md.
 */
export const providerGithubDefinition = definePlugin({
  info: {
    name: "provider/github",
    version: "0.1.0",
    description: "Renders GitHub Actions workflows (.github/workflows/*.yml) from the cig job graph",
    capabilities: ["provider:github"],
    // Validate reads the rendered files; the locations of its findings come from the last Generate.
    features: [VALIDATE_WITHOUT_GRAPH],
  },
  generate: (req) => generateWorkflows(req),
  validate: (req) => validateWorkflows(req),
});
