import { servePlugin } from "@cig/sdk";
import { dbRedisDefinition } from "./plugin-definition.js";

servePlugin(dbRedisDefinition);
