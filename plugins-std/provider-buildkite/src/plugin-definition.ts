import { definePlugin } from "@cig/sdk";

/** The provider/buildkite std plugin (being written: see docs/providers/buildkite.md). */
export const providerBuildkiteDefinition = definePlugin({
  info: {
    name: "provider/buildkite",
    version: "0.1.0",
    description: "Renders buildkite pipelines from the cig job graph",
    capabilities: ["provider:buildkite"],
  },
});
