import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { create } from "@bufbuild/protobuf";
import { CigSchemaSchema, JobSchema, MatrixAxisSchema, MatrixSchema } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { findings, MAX_COMBINATIONS } from "../src/job-limits.js";

const here = fileURLToPath(new URL("..", import.meta.url));
const root = join(here, "../../..");

const job = (id: string, timeoutMinutes: number, axes: number[] = []) =>
  create(JobSchema, {
    id,
    timeoutMinutes,
    loc: { path: "cig.toml", line: 3, column: 1 },
    matrix: create(MatrixSchema, {
      axes: axes.map((n, i) => create(MatrixAxisSchema, { name: `a${i}`, values: Array.from({ length: n }, (_, k) => `${k}`) })),
    }),
  });

describe("example/job-limits", () => {
  it("warns about a job without a timeout, at the job", () => {
    const out = findings(create(CigSchemaSchema, { jobs: [job("lint", 0), job("test", 20)] }));
    expect(out.map((d) => [d.code, d.title])).toEqual([["LIMITS_NO_TIMEOUT", "job lint has no timeout"]]);
    expect(out[0]?.loc).toEqual({ path: "cig.toml", line: 3, column: 1 });
  });

  it(`warns about a matrix of more than ${MAX_COMBINATIONS} combinations, not at ${MAX_COMBINATIONS}`, () => {
    expect(findings(create(CigSchemaSchema, { jobs: [job("ok", 10, [3, 4])] }))).toEqual([]);
    expect(findings(create(CigSchemaSchema, { jobs: [job("big", 10, [3, 5])] })).map((d) => d.title)).toEqual([
      "job big has a matrix of 15 combinations",
    ]);
  });

  it("passes the conformance suite as the launcher the archive carries", () => {
    const bin = join(here, "bin/cig-plugin-job-limits");
    if (!existsSync(join(here, "dist/bundle.mjs"))) throw new Error("dist/bundle.mjs is missing: run `pnpm build` first");
    const out = execFileSync(process.execPath, [join(root, "core/bin/cig.js"), "--json", "plugin", "test", bin], { encoding: "utf8" });
    const report = JSON.parse(out) as { plugin: string; failed: number; version: string };
    expect(report).toMatchObject({ plugin: "example/job-limits", failed: 0, version: "0.1.0" });
  });
});
