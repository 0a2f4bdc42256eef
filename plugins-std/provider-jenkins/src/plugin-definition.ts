import { definePlugin, VALIDATE_WITHOUT_GRAPH } from "@cig/sdk";
import { generateJenkinsfile } from "./generate-jenkinsfile.js";
import { validateJenkinsfiles } from "./validate-jenkinsfile.js";

/**
 * The provider/jenkins std plugin: renders the resolved job graph as a
 * declarative Jenkinsfile (generate) and checks the merged file (validate).
 * Rendering rules: docs/providers/jenkins.md.
 */
export const providerJenkinsDefinition = definePlugin({
  info: {
    name: "provider/jenkins",
    version: "0.1.0",
    description: "Renders a declarative Jenkins pipeline (Jenkinsfile) from the cig job graph",
    capabilities: ["provider:jenkins"],
    // Validate reads only the rendered files and the schema.
    features: [VALIDATE_WITHOUT_GRAPH],
  },
  generate: (req) => generateJenkinsfile(req),
  validate: (req) => validateJenkinsfiles(req),
});
