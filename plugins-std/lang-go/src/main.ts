import { servePlugin } from "@cig/sdk";
import { langGoDefinition } from "./plugin-definition.js";

servePlugin(langGoDefinition);
