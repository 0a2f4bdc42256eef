import { createTestHarness, fakeRepo } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { detectPostgres } from "../src/detect-postgres.js";
import { dbPostgresDefinition } from "../src/plugin-definition.js";

const enc = new TextEncoder();
const repo = (files: Record<string, string | null>) => fakeRepo(files);

describe("db/postgres detection", () => {
  it("a Rails app on PostgreSQL: database.yml's adapter is proof (0.9), the pg gem backs it up", () => {
    const r = detectPostgres(
      repo({ "config/database.yml": "default: &default\n  adapter: postgresql\n", Gemfile: 'gem \'rails\'\ngem "pg", "~> 1.5"\n' }),
    );
    expect(r).toEqual({
      signals: ["postgres_detected", "database_yml_postgresql", "gem_pg"],
      facts: { postgres_detected: "true" },
      confidence: 0.9,
    });
  });

  it.each([
    [{ "package.json": '{"dependencies":{"express":"4"},"devDependencies":{"pg":"^8.11"}}' }, "npm_pg"],
    [{ "requirements.txt": "# db\nDjango==5.0\npsycopg2-binary==2.9.9 ; python_version >= '3.8'\n" }, "python_psycopg"],
    [{ "pyproject.toml": '[project]\ndependencies = [\n  "psycopg[binary]>=3.1",\n]\n' }, "python_psycopg"],
    [{ Pipfile: '[packages]\nasyncpg = "*"\n' }, "python_psycopg"],
    [{ "go.mod": "module m\n\nrequire (\n\tgithub.com/jackc/pgx/v5 v5.5.5\n)\n" }, "go_postgres_driver"],
    [{ "go.mod": "module m\nrequire github.com/lib/pq v1.10.9\n" }, "go_postgres_driver"],
  ])("a client library is a hint (0.7): %j", (files, signal) => {
    expect(detectPostgres(repo(files))).toMatchObject({ signals: ["postgres_detected", signal], confidence: 0.7 });
  });

  it("takes the version from the official image in a compose file, else .tool-versions", () => {
    const compose = "services:\n  db:\n    image: postgres:15.6-alpine\n  cache:\n    image: redis:7\n";
    expect(detectPostgres(repo({ "compose.yaml": compose }))).toMatchObject({ facts: { postgres_version: "15.6" }, confidence: 0.9 });
    // PostGIS is PostgreSQL, but its tag is not a postgres image version.
    const postgis = detectPostgres(repo({ "docker-compose.yml": "services:\n  db:\n    image: 'postgis/postgis:16-3.4'\n" }));
    expect(postgis).toMatchObject({ facts: { postgres_detected: "true" }, confidence: 0.9 });
    expect(postgis.facts?.postgres_version).toBeUndefined();
    const asdf = detectPostgres(repo({ ".tool-versions": "ruby 3.3.0\npostgres 16.2\n" }));
    expect(asdf).toMatchObject({
      signals: ["postgres_detected", "tool_versions_postgres"],
      facts: { postgres_version: "16.2" },
      confidence: 0.6,
    });
  });

  it("is not fooled by look-alikes: other adapters, comments, descriptions, other packages", () => {
    const r = detectPostgres(
      repo({
        "config/database.yml": "test:\n  adapter: sqlite3\n",
        Gemfile: "# gem 'pg' when we move\ngem 'pg_search'\n",
        "package.json": '{"dependencies":{"pg-mem":"1"},"description":"pg"}',
        "pyproject.toml": '[project]\ndescription = "psycopg helpers"\n',
        "package-lock.json": '{"packages":{"node_modules/pg":{}}}',
      }),
    );
    expect(r).toEqual({ signals: [], facts: {}, confidence: 0 });
  });

  it("works through the SDK test harness (wire round trip), also with a broken package.json", async () => {
    const h = createTestHarness(dbPostgresDefinition);
    expect(h.info()).toMatchObject({ name: "db/postgres", capabilities: expect.arrayContaining(["db:postgres"]) });
    const files = [
      { path: "package.json", content: enc.encode("{ oops") },
      { path: "Gemfile", content: enc.encode('gem "pg"') },
    ];
    const res = await h.detect({ repo: { root: "/r", files } });
    expect(res).toMatchObject({ facts: { postgres_detected: "true" }, diagnostics: [] });
  });
});
