// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} here is GitHub expression syntax, not a JS template.
import { createTestHarness } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { dbPostgresDefinition } from "../src/plugin-definition.js";

const h = createTestHarness(dbPostgresDefinition);
const plan = async (req: Parameters<typeof h.plan>[0]) => {
  const res = await h.plan(req);
  const find = <C extends "step" | "service">(id: string, c: C) => {
    const spec = res.resources.find((r) => r.id === id)?.spec;
    return spec?.case === c ? (spec.value as Extract<typeof spec, { case: C }>["value"]) : undefined;
  };
  return {
    res,
    service: (id: string) => find(id, "service")?.service,
    jobEnv: (id: string) => find(id, "service")?.jobEnv,
    step: (id: string) => find(id, "step"),
  };
};

describe("db/postgres plan", () => {
  it("adds the service with a health check and DATABASE_URL for the job's steps and a SETUP wait step to jobs listing postgres", async () => {
    const p = await plan({ schema: { jobs: [{ id: "test", services: [{ name: "postgres" }, { name: "redis" }] }, { id: "lint" }] } });
    expect(p.res.resources.map((r) => r.id)).toEqual(["service:test/postgres", "step:test/wait-for-postgres"]);
    expect(p.service("service:test/postgres")).toMatchObject({
      name: "postgres",
      image: "postgres:16",
      env: { POSTGRES_USER: "postgres", POSTGRES_PASSWORD: "postgres", POSTGRES_DB: "test" },
      ports: ["5432:5432"],
      health: { command: "pg_isready -U postgres", intervalSeconds: 10, timeoutSeconds: 5, retries: 5 },
    });
    const wait = p.step("step:test/wait-for-postgres");
    expect(wait).toMatchObject({ jobId: "test", placement: 1, order: 50 });
    expect(p.jobEnv("service:test/postgres")).toEqual({ DATABASE_URL: "postgres://postgres:postgres@localhost:5432/test" });
    expect(wait?.step?.action.value).toMatchObject({ command: expect.stringContaining('until pg_isready -d "$DATABASE_URL"; do') });
  });

  it.each([
    [
      { matrix: { axes: [{ name: "postgres", values: ["15", "16"] }] } },
      { postgres_version: "14" },
      { postgres_version: "13" },
      "{{ matrix.postgres }}",
    ],
    [{}, { postgres_version: "14" }, { postgres_version: "13" }, "14"],
    [{}, {}, { postgres_version: "13" }, "13"],
  ])("version: matrix axis, then [variables], then the detected fact (%#)", async (job, variables, facts, version) => {
    const p = await plan({ facts, schema: { variables, jobs: [{ id: "t", services: [{ name: "postgres" }], ...job }] } });
    expect(p.service("service:t/postgres")?.image).toBe(`postgres:${version}`);
  });

  it("keeps what the user declared and fills in the rest; the URL and health check follow", async () => {
    const declared = { name: "postgresql", env: { POSTGRES_USER: "app", POSTGRES_PASSWORD: "p@ss:word" }, ports: ["5433:5432"] };
    const p = await plan({ schema: { jobs: [{ id: "t", services: [declared] }] } });
    expect(p.service("service:t/postgresql")).toMatchObject({
      name: "postgresql",
      image: "postgres:16",
      env: { POSTGRES_USER: "app", POSTGRES_PASSWORD: "p@ss:word", POSTGRES_DB: "test" },
      ports: ["5433:5432"],
      health: { command: "pg_isready -U app" },
    });
    expect(p.jobEnv("service:t/postgresql")?.DATABASE_URL).toBe("postgres://app:p%40ss%3Aword@localhost:5433/test");
  });

  it("a declared health check and image win; a provider expression in the password is left for the provider", async () => {
    const declared = {
      name: "postgres",
      image: "postgis/postgis:16-3.4",
      env: { POSTGRES_PASSWORD: "${{ secrets.PG }}" },
      health: { command: "pg_isready", retries: 9 },
    };
    const p = await plan({ schema: { jobs: [{ id: "t", services: [declared] }] } });
    expect(p.service("service:t/postgres")).toMatchObject({
      image: "postgis/postgis:16-3.4",
      health: { command: "pg_isready", retries: 9 },
    });
    expect(p.jobEnv("service:t/postgres")?.DATABASE_URL).toBe("postgres://postgres:${{ secrets.PG }}@localhost:5432/test");
  });

  it("fills in {{ }} in declared keys as the core does (matrix key, [variables], facts); the URL follows", async () => {
    const declared = {
      name: "postgres",
      env: { POSTGRES_DB: "{{ app }}_{{ ruby }}", POSTGRES_PASSWORD: "{{ facts.pg_pw }}", X: "{{ nope }}" },
    };
    const matrix = { axes: [{ name: "ruby", values: ["3.2", "3.3"] }] };
    const p = await plan({
      facts: { pg_pw: "pw" },
      schema: { variables: { app: "shop" }, jobs: [{ id: "t", matrix, services: [declared] }] },
    });
    expect(p.service("service:t/postgres")?.env).toMatchObject({
      POSTGRES_DB: "shop_{{ matrix.ruby }}",
      POSTGRES_PASSWORD: "pw",
      X: "{{ nope }}",
    });
    expect(p.jobEnv("service:t/postgres")?.DATABASE_URL).toBe("postgres://postgres:pw@localhost:5432/shop_{{ matrix.ruby }}");
  });
});
