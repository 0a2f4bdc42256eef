import { servePlugin } from "@cig/sdk";
import { providerBuildkiteDefinition } from "./plugin-definition.js";

servePlugin(providerBuildkiteDefinition);
