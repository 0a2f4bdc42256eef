import { servePlugin } from "@cig/sdk";
import { providerGitlabDefinition } from "./plugin-definition.js";

servePlugin(providerGitlabDefinition);
