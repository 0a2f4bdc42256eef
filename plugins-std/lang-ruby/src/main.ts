import { servePlugin } from "@cig/sdk";
import { langRubyDefinition } from "./plugin-definition.js";

servePlugin(langRubyDefinition);
