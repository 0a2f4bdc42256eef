import { servePlugin } from "@cig/sdk";
import { providerGithubDefinition } from "./plugin-definition.js";

servePlugin(providerGithubDefinition);
