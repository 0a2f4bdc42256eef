import { definePlugin } from "@cig/sdk";

/** The provider/gitlab std plugin (being written: see docs/providers/gitlab.md). */
export const providerGitlabDefinition = definePlugin({
  info: {
    name: "provider/gitlab",
    version: "0.1.0",
    description: "Renders gitlab pipelines from the cig job graph",
    capabilities: ["provider:gitlab"],
  },
});
