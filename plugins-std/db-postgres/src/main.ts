import { servePlugin } from "@cig/sdk";
import { dbPostgresDefinition } from "./plugin-definition.js";

servePlugin(dbPostgresDefinition);
