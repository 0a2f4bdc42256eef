import type { DetectResponseSchema, RepoSnapshot } from "@cig/proto";
import type { Reply } from "@cig/sdk";
import { type Declared, imageName, MANIFESTS, officialImageVersion, readDeclared } from "@cig/sdk";

/** Files whose content detection reads; the core inlines them. */
export const DETECT_PATTERNS = MANIFESTS;

/** A sign that the project talks to Redis, and how sure it makes us. */
interface Hint {
  signal: string;
  confidence: number;
  found(d: Declared): boolean;
}

const HINTS: Hint[] = [
  // The project runs Redis beside itself in development: as sure as detection gets.
  { signal: "compose_redis", confidence: 0.9, found: (d) => d.images.some((i) => imageName(i) === "redis") },
  // A client or a job queue built on Redis: the tests very likely need a server.
  {
    signal: "gem_redis",
    confidence: 0.7,
    found: (d) => ["redis", "redis-client", "sidekiq", "resque", "kredis"].some((n) => d.gems.has(n)),
  },
  { signal: "npm_redis", confidence: 0.7, found: (d) => ["redis", "ioredis", "bullmq", "bull"].some((n) => d.npm.has(n)) },
  { signal: "python_redis", confidence: 0.7, found: (d) => ["redis", "django-redis", "rq"].some((n) => d.python.has(n)) },
  {
    signal: "go_redis_client",
    confidence: 0.7,
    found: (d) => d.goModules.some((m) => /^github\.com\/(redis\/go-redis|go-redis\/redis|gomodule\/redigo)(\/|$)/.test(m)),
  },
  // asdf/mise install a local server: a hint, not proof that CI needs one.
  { signal: "tool_versions_redis", confidence: 0.6, found: (d) => d.tools.has("redis") },
];

/**
 * Detects Redis use: a compose service, a client or queue library in
 * Gemfile / package.json / Python manifests / go.mod, or .tool-versions.
 * Facts: `redis_detected`, and `redis_version` from the official image's tag
 * in a compose file, else .tool-versions.
 */
export function detectRedis(repo: RepoSnapshot): Reply<typeof DetectResponseSchema> {
  const declared = readDeclared(repo);
  const hits = HINTS.filter((h) => h.found(declared));
  if (hits.length === 0) return { signals: [], facts: {}, confidence: 0 };
  const facts: Record<string, string> = { redis_detected: "true" };
  const version = officialImageVersion(declared.images, "redis") ?? declared.tools.get("redis");
  if (version) facts.redis_version = version;
  return {
    signals: ["redis_detected", ...hits.map((h) => h.signal)],
    facts,
    confidence: Math.max(...hits.map((h) => h.confidence)),
  };
}
