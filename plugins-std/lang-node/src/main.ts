import { definePlugin, servePlugin } from "@cig/sdk";
import { DETECT_PATTERNS, detectNode } from "./detect-node.js";

/** The lang/node std plugin. Plan and generate arrive with the pipeline (issue 3). */
export const langNode = definePlugin({
  info: {
    name: "lang/node",
    version: "0.1.0",
    description: "Detects Node.js projects: Node version and package manager",
    capabilities: ["lang:node", "detect:node"],
    detectPatterns: DETECT_PATTERNS,
  },
  detect: (req) => {
    if (!req.repo) return {};
    return detectNode(req.repo);
  },
});

servePlugin(langNode);
