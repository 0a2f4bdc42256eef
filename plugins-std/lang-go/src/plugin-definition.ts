import { definePlugin } from "@cig/sdk";
import { DETECT_PATTERNS, detectGo } from "./detect-go.js";
import { planGo } from "./plan-go.js";

/** The lang/go std plugin: detects Go modules and sets Go up in jobs with `packages = ["go"]`. */
export const langGoDefinition = definePlugin({
  info: {
    name: "lang/go",
    version: "0.1.0",
    description: "Detects Go modules and sets up Go with the module cache in jobs",
    capabilities: ["lang:go", "detect:go", "package:go"],
    detectPatterns: DETECT_PATTERNS,
  },
  detect: (req) => (req.repo ? detectGo(req.repo) : {}),
  plan: (req) => planGo(req),
});
