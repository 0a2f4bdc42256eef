import { definePlugin, VALIDATE_WITHOUT_GRAPH } from "@cig/sdk";
import { generateConfig } from "./generate-config.js";
import { validateConfig } from "./validate-config.js";

/**
 * The provider/circleci std plugin: renders the resolved job graph as a
 * CircleCI 2.1 config (generate) and checks the merged file (validate).
 * Rendering rules and key order: docs/providers/circleci.md.
 */
export const providerCircleciDefinition = definePlugin({
  info: {
    name: "provider/circleci",
    version: "0.1.0",
    description: "Renders CircleCI configs (.circleci/config.yml) from the cig job graph",
    capabilities: ["provider:circleci"],
    // Validate reads only the rendered files and the schema.
    features: [VALIDATE_WITHOUT_GRAPH],
  },
  generate: (req) => generateConfig(req),
  validate: (req) => validateConfig(req),
});
