import { definePlugin } from "@cig/sdk";
import { DETECT_PATTERNS, detectRuby } from "./detect-ruby.js";
import { planRuby } from "./plan-ruby.js";

/** The lang/ruby std plugin: detects Ruby projects and sets Ruby up in jobs with `packages = ["ruby"]`. */
export const langRubyDefinition = definePlugin({
  info: {
    name: "lang/ruby",
    version: "0.1.0",
    description: "Detects Ruby projects and sets up Ruby with the Bundler cache in jobs",
    capabilities: ["lang:ruby", "detect:ruby", "package:ruby"],
    detectPatterns: DETECT_PATTERNS,
  },
  detect: (req) => (req.repo ? detectRuby(req.repo) : {}),
  plan: (req) => planRuby(req),
});
