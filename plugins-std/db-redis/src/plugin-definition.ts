import { definePlugin } from "@cig/sdk";
import { DETECT_PATTERNS, detectRedis } from "./detect-redis.js";
import { planRedis } from "./plan-redis.js";

/** The db/redis std plugin: detects Redis use and adds the service to jobs with `services = ["redis"]`. */
export const dbRedisDefinition = definePlugin({
  info: {
    name: "db/redis",
    version: "0.1.0",
    description: "Detects Redis use and adds a redis service with a health check and REDIS_URL to jobs",
    capabilities: ["db:redis", "detect:redis", "service:redis"],
    detectPatterns: DETECT_PATTERNS,
  },
  detect: (req) => (req.repo ? detectRedis(req.repo) : {}),
  plan: (req) => planRedis(req),
});
