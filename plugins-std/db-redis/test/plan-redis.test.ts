import { createTestHarness } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { dbRedisDefinition } from "../src/plugin-definition.js";

const h = createTestHarness(dbRedisDefinition);
const plan = async (req: Parameters<typeof h.plan>[0]) => {
  const res = await h.plan(req);
  const spec = (id: string) => res.resources.find((r) => r.id === id)?.spec;
  return {
    res,
    service: (id: string) => {
      const s = spec(id);
      return s?.case === "service" ? s.value.service : undefined;
    },
    jobEnv: (id: string) => {
      const s = spec(id);
      return s?.case === "service" ? s.value.jobEnv : undefined;
    },
    step: (id: string) => {
      const s = spec(id);
      return s?.case === "step" ? s.value : undefined;
    },
  };
};

describe("db/redis plan", () => {
  it("adds the service with a health check and REDIS_URL for the job's steps and a SETUP wait step to jobs listing redis", async () => {
    const p = await plan({ schema: { jobs: [{ id: "test", services: [{ name: "postgres" }, { name: "redis" }] }, { id: "lint" }] } });
    expect(p.res.resources.map((r) => r.id)).toEqual(["service:test/redis", "step:test/wait-for-redis"]);
    expect(p.service("service:test/redis")).toMatchObject({
      name: "redis",
      image: "redis:7",
      env: {},
      ports: ["6379:6379"],
      health: { command: "redis-cli ping", intervalSeconds: 10, timeoutSeconds: 5, retries: 5 },
    });
    const wait = p.step("step:test/wait-for-redis");
    expect(wait).toMatchObject({
      jobId: "test",
      placement: 1,
      order: 50,
      step: { name: "Wait for redis" },
    });
    expect(p.jobEnv("service:test/redis")).toEqual({ REDIS_URL: "redis://localhost:6379" });
    expect(wait?.step?.action.value).toMatchObject({ command: expect.stringContaining('redis-cli -u "$REDIS_URL" ping') });
  });

  it.each([
    [
      { matrix: { axes: [{ name: "redis", values: ["6", "7"] }] } },
      { redis_version: "7.2" },
      { redis_version: "6.2" },
      "{{ matrix.redis }}",
    ],
    [{}, { redis_version: "7.2" }, { redis_version: "6.2" }, "7.2"],
    [{}, {}, { redis_version: "6.2" }, "6.2"],
  ])("version: matrix axis, then [variables], then the detected fact (%#)", async (job, variables, facts, version) => {
    const p = await plan({ facts, schema: { variables, jobs: [{ id: "t", services: [{ name: "redis" }], ...job }] } });
    expect(p.service("service:t/redis")?.image).toBe(`redis:${version}`);
  });

  it("keeps the ports the user declared, and REDIS_URL follows the host port", async () => {
    const p = await plan({ schema: { jobs: [{ id: "t", services: [{ name: "redis", ports: ["127.0.0.1:6380:6379/tcp"] }] }] } });
    expect(p.service("service:t/redis")).toMatchObject({ image: "redis:7", ports: ["127.0.0.1:6380:6379/tcp"] });
    expect(p.jobEnv("service:t/redis")).toEqual({ REDIS_URL: "redis://localhost:6380" });
  });

  it("fills in {{ }} in declared env from [variables], as the core does for cig.toml", async () => {
    const redis = { name: "redis", env: { REDIS_ARGS: "--maxmemory {{ redis_memory }}" } };
    const p = await plan({ schema: { variables: { redis_memory: "64mb" }, jobs: [{ id: "t", services: [redis] }] } });
    expect(p.service("service:t/redis")?.env).toEqual({ REDIS_ARGS: "--maxmemory 64mb" });
  });
});
