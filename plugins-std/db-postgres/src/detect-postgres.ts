import type { DetectResponseSchema, RepoSnapshot } from "@cig/proto";
import type { Reply } from "@cig/sdk";
import { type Declared, imageName, MANIFESTS, officialImageVersion, readDeclared } from "@cig/sdk";

/** Files whose content detection reads; the core inlines them. */
export const DETECT_PATTERNS = [...MANIFESTS, "config/database.yml"];

/** A sign that the project talks to PostgreSQL, and how sure it makes us. */
interface Hint {
  signal: string;
  confidence: number;
  found(d: Declared): boolean;
}

const HINTS: Hint[] = [
  // The project's own configuration says so: as sure as detection gets.
  {
    signal: "database_yml_postgresql",
    confidence: 0.9,
    found: (d) => /^\s*adapter:\s*["']?(postgresql|postgis)\b/m.test(d.text("config/database.yml") ?? ""),
  },
  {
    signal: "compose_postgres",
    confidence: 0.9,
    found: (d) => d.images.some((i) => ["postgres", "postgresql", "postgis"].includes(imageName(i))),
  },
  // A client library: the tests very likely need a server, but it may be optional.
  { signal: "gem_pg", confidence: 0.7, found: (d) => d.gems.has("pg") },
  { signal: "npm_pg", confidence: 0.7, found: (d) => ["pg", "postgres", "pg-promise"].some((n) => d.npm.has(n)) },
  {
    signal: "python_psycopg",
    confidence: 0.7,
    found: (d) => ["psycopg", "psycopg2", "psycopg2-binary", "asyncpg"].some((n) => d.python.has(n)),
  },
  {
    signal: "go_postgres_driver",
    confidence: 0.7,
    found: (d) => d.goModules.some((m) => m.startsWith("github.com/jackc/pgx") || m === "github.com/lib/pq"),
  },
  // asdf/mise install a local server: a hint, not proof that CI needs one.
  { signal: "tool_versions_postgres", confidence: 0.6, found: (d) => d.tools.has("postgres") },
];

/**
 * Detects PostgreSQL use: Rails' database.yml adapter, a compose service,
 * a client library in Gemfile / package.json / Python manifests / go.mod, or
 * .tool-versions. Facts: `postgres_detected`, and `postgres_version` from the
 * official image's tag in a compose file, else .tool-versions.
 */
export function detectPostgres(repo: RepoSnapshot): Reply<typeof DetectResponseSchema> {
  const declared = readDeclared(repo);
  const hits = HINTS.filter((h) => h.found(declared));
  if (hits.length === 0) return { signals: [], facts: {}, confidence: 0 };
  const facts: Record<string, string> = { postgres_detected: "true" };
  const version = officialImageVersion(declared.images, "postgres") ?? declared.tools.get("postgres");
  if (version) facts.postgres_version = version;
  return {
    signals: ["postgres_detected", ...hits.map((h) => h.signal)],
    facts,
    confidence: Math.max(...hits.map((h) => h.confidence)),
  };
}
