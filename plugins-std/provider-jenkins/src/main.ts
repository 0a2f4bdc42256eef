import { servePlugin } from "@cig/sdk";
import { providerJenkinsDefinition } from "./plugin-definition.js";

servePlugin(providerJenkinsDefinition);
