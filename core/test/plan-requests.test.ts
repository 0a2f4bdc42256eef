import { create } from "@bufbuild/protobuf";
import { PlanRequestSchema } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { planRequestFor } from "../src/pipeline/plan-requests.js";

const NODE = { packages: ["node", "nodejs"], services: [], facts: [] };
const POSTGRES = { packages: [], services: ["postgres"], facts: [] };

const base = create(PlanRequestSchema, {
  facts: { node_version: "20" },
  schema: {
    jobs: [
      { id: "lint", packages: ["node"] },
      { id: "db", services: [{ name: "postgres" }] },
      { id: "plain", steps: [{ action: { case: "run", value: { command: "make" } } }] },
      { id: "setup", steps: [{ action: { case: "uses", value: { ref: "lang/node@~1" } } }] },
    ],
  },
});

describe("planRequestFor", () => {
  it("gives a std module only the jobs that ask for it, one message per set of jobs", () => {
    const cache = new Map();
    const node = planRequestFor(base, "lang/node", NODE, cache);
    expect(node.schema?.jobs.map((j) => j.id)).toEqual(["lint", "setup"]);
    expect(node.facts).toEqual(base.facts);
    expect(planRequestFor(base, "lang/node", NODE, cache)).toBe(node);
    expect(planRequestFor(base, "db/postgres", POSTGRES, cache).schema?.jobs.map((j) => j.id)).toEqual(["db"]);
    expect(planRequestFor(base, "db/redis", { packages: [], services: ["redis"], facts: [] }, cache).schema?.jobs).toEqual([]);
    // The base request is left whole.
    expect(base.schema?.jobs).toHaveLength(4);
  });

  it("gives the whole request to a plugin without a manifest, and when every job asks for it", () => {
    expect(planRequestFor(base, "acme/policy", undefined, new Map())).toBe(base);
    const all = create(PlanRequestSchema, { schema: { jobs: [{ id: "a", packages: ["node"] }] } });
    expect(planRequestFor(all, "lang/node", NODE, new Map())).toBe(all);
  });
});
