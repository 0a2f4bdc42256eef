import { createTestHarness, fakeRepo } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { detectRedis } from "../src/detect-redis.js";
import { dbRedisDefinition } from "../src/plugin-definition.js";

const enc = new TextEncoder();
const repo = (files: Record<string, string | null>) => fakeRepo(files);

describe("db/redis detection", () => {
  it("a compose service is proof (0.9) and gives the version from the official image's tag", () => {
    const r = detectRedis(
      repo({ "docker-compose.yaml": 'services:\n  redis:\n    image: "redis:7.2-alpine" # cache\n', Gemfile: "gem 'sidekiq'\n" }),
    );
    expect(r).toEqual({
      signals: ["redis_detected", "compose_redis", "gem_redis"],
      facts: { redis_detected: "true", redis_version: "7.2" },
      confidence: 0.9,
    });
  });

  it.each([
    [{ Gemfile: 'gem "redis", "~> 5.0"\n' }, "gem_redis"],
    [{ "package.json": '{"dependencies":{"ioredis":"^5"}}' }, "npm_redis"],
    [{ "package.json": '{"dependencies":{"bullmq":"^5"}}' }, "npm_redis"],
    [{ "requirements.txt": "celery==5.3\nredis>=5\n" }, "python_redis"],
    [{ "pyproject.toml": '[tool.poetry.dependencies]\nDjango_Redis = "^5"\n' }, "python_redis"],
    [{ "go.mod": "module m\nrequire github.com/redis/go-redis/v9 v9.5.1\n" }, "go_redis_client"],
    [{ ".tool-versions": "redis 7.2.4\n" }, "tool_versions_redis"],
  ])("a client, a queue built on Redis or .tool-versions is a hint: %j", (files, signal) => {
    expect(detectRedis(repo(files)).signals).toEqual(["redis_detected", signal]);
  });

  it("is not fooled by look-alikes: other images, comments, descriptions", () => {
    const r = detectRedis(
      repo({
        "compose.yml": "services:\n  c:\n    image: redis/redis-stack-server\n",
        Gemfile: "# gem 'redis'\ngem 'redis-namespace-lite-not'\n",
        "pyproject.toml": '[project]\ndescription = "redis helpers"\n',
      }),
    );
    expect(r).toEqual({ signals: [], facts: {}, confidence: 0 });
  });

  it("works through the SDK test harness (wire round trip)", async () => {
    const h = createTestHarness(dbRedisDefinition);
    expect(h.info()).toMatchObject({ name: "db/redis", capabilities: expect.arrayContaining(["db:redis"]) });
    const res = await h.detect({ repo: { root: "/r", files: [{ path: "Gemfile", content: enc.encode('gem "redis"') }] } });
    expect(res).toMatchObject({ facts: { redis_detected: "true" }, confidence: expect.closeTo(0.7) });
  });
});
