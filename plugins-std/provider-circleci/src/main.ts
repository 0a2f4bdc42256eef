import { servePlugin } from "@cig/sdk";
import { providerCircleciDefinition } from "./plugin-definition.js";

servePlugin(providerCircleciDefinition);
