import { definePlugin } from "@cig/sdk";
import { DETECT_PATTERNS, detectNode } from "./detect-node.js";
import { planNode } from "./plan-node.js";

/** The lang/node std plugin: detects Node projects and sets Node up in jobs with `packages = ["node"]`. */
export const langNodeDefinition = definePlugin({
  info: {
    name: "lang/node",
    version: "0.1.0",
    description: "Detects Node.js projects and sets up Node, the package manager and dependencies in jobs",
    capabilities: ["lang:node", "detect:node", "package:node"],
    detectPatterns: DETECT_PATTERNS,
  },
  detect: (req) => (req.repo ? detectNode(req.repo) : {}),
  plan: (req) => planNode(req),
});
