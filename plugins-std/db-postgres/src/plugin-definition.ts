import { definePlugin } from "@cig/sdk";
import { DETECT_PATTERNS, detectPostgres } from "./detect-postgres.js";
import { planPostgres } from "./plan-postgres.js";

/** The db/postgres std plugin: detects PostgreSQL use and adds the service to jobs with `services = ["postgres"]`. */
export const dbPostgresDefinition = definePlugin({
  info: {
    name: "db/postgres",
    version: "0.1.0",
    description: "Detects PostgreSQL use and adds a postgres service with a health check and DATABASE_URL to jobs",
    capabilities: ["db:postgres", "detect:postgres", "service:postgres"],
    detectPatterns: DETECT_PATTERNS,
  },
  detect: (req) => (req.repo ? detectPostgres(req.repo) : {}),
  plan: (req) => planPostgres(req),
});
