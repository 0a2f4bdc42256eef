import { definePlugin } from "@cig/sdk";

/** The provider/circleci std plugin (being written: see docs/providers/circleci.md). */
export const providerCircleciDefinition = definePlugin({
  info: {
    name: "provider/circleci",
    version: "0.1.0",
    description: "Renders circleci pipelines from the cig job graph",
    capabilities: ["provider:circleci"],
  },
});
