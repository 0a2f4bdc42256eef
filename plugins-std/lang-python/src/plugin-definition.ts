import { definePlugin } from "@cig/sdk";
import { DETECT_PATTERNS, detectPython } from "./detect-python.js";
import { planPython } from "./plan-python.js";

/** The lang/python std plugin: detects Python projects and sets Python up in jobs with `packages = ["python"]`. */
export const langPythonDefinition = definePlugin({
  info: {
    name: "lang/python",
    version: "0.1.0",
    description: "Detects Python projects and sets up Python, its package manager and dependencies in jobs",
    capabilities: ["lang:python", "detect:python", "package:python"],
    detectPatterns: DETECT_PATTERNS,
  },
  detect: (req) => (req.repo ? detectPython(req.repo) : {}),
  plan: (req) => planPython(req),
});
