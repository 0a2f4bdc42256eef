import { servePlugin } from "@cig/sdk";
import { langNodeDefinition } from "./plugin-definition.js";

servePlugin(langNodeDefinition);
