import { servePlugin } from "@cig/sdk";
import { langPythonDefinition } from "./plugin-definition.js";

servePlugin(langPythonDefinition);
