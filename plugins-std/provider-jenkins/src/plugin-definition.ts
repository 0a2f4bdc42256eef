import { definePlugin } from "@cig/sdk";

/** The provider/jenkins std plugin (being written: see docs/providers/jenkins.md). */
export const providerJenkinsDefinition = definePlugin({
  info: {
    name: "provider/jenkins",
    version: "0.1.0",
    description: "Renders jenkins pipelines from the cig job graph",
    capabilities: ["provider:jenkins"],
  },
});
