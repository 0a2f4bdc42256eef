import { definePlugin } from "@cig/sdk";
import { DETECT_PATTERNS, detectNode } from "./detect-node.js";

/** The lang/node std plugin. Plan and generate arrive with the pipeline. */
export const langNodeDefinition = definePlugin({
  info: {
    name: "lang/node",
    version: "0.1.0",
    description: "Detects Node.js projects: Node version and package manager",
    capabilities: ["lang:node", "detect:node"],
    detectPatterns: DETECT_PATTERNS,
  },
  detect: (req) => (req.repo ? detectNode(req.repo) : {}),
});
