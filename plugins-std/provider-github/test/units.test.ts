// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${{ }} here is GitHub expression syntax, not a JS template.
import { deepEqual, isModuleRef, isYaml11Ambiguous } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { githubJobId } from "../src/plan-github-jobs.js";
import { isFilePart } from "../src/render-cache-step.js";
import { renderMatrix } from "../src/render-matrix.js";
import { toWorkflowYaml } from "../src/workflow-yaml.js";
import { harness } from "./generate-valid.js";
import { job, request, run } from "./request-builders.js";

describe("deepEqual (grouping matrix variants)", () => {
  it("compares maps as key sets, arrays in order, and skips ignored top-level keys", () => {
    expect(deepEqual({ env: { A: "1", B: "2" } }, { env: { B: "2", A: "1" } })).toBe(true);
    expect(deepEqual({ env: { A: "1" } }, { env: { A: "1", B: "2" } })).toBe(false);
    expect(deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqual({ a: 1, loc: { line: 1 } }, { a: 1, loc: { line: 9 } }, new Set(["loc"]))).toBe(true);
    expect(deepEqual({ a: { loc: 1 } }, { a: { loc: 2 } }, new Set(["loc"]))).toBe(false);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: [] }, { a: {} })).toBe(false);
    expect(deepEqual({ b: new Uint8Array([1]) }, { b: new Uint8Array([2]) })).toBe(false);
  });
});

describe("provider/github building blocks", () => {
  it("tells file patterns from literal cache key parts", () => {
    for (const f of [
      "Gemfile.lock",
      "**/package-lock.json",
      ".ruby-version",
      "go.sum",
      "requirements/*.txt",
      "{{ matrix.dir }}/yarn.lock",
    ]) {
      expect([f, isFilePart(f)]).toEqual([f, true]);
    }
    for (const l of ["ruby:3.3.0", "v2", "3.3", "node-{{ matrix.node }}", "linux x64", "key=1", "${{ runner.arch }}"]) {
      expect([l, isFilePart(l)]).toEqual([l, false]);
    }
  });

  it("tells cig modules from GitHub actions", () => {
    for (const m of ["lang/ruby@~1.2", "db/postgres@^2.0", "docker/build@>=1.1", "lang/node", "acme/x@1.x"])
      expect([m, isModuleRef(m)]).toEqual([m, true]);
    for (const a of [
      "actions/checkout@v4",
      "owner/repo/path@main",
      "./local-action",
      "docker://alpine:3",
      "o/r@0123456789abcdef0123456789abcdef01234567",
    ]) {
      expect([a, isModuleRef(a)]).toEqual([a, false]);
    }
  });

  it("makes valid GitHub job ids", () => {
    expect(["test-ruby3.2-amd64", "build/linux", "3d", "ok_id"].map(githubJobId)).toEqual([
      "test-ruby3_2-amd64",
      "build_linux",
      "_3d",
      "ok_id",
    ]);
  });

  it("picks the matrix form that reproduces the cells exactly", () => {
    const cell = (os: string, v: string) => ({ os, v });
    expect(renderMatrix([cell("a", "1"), cell("a", "2"), cell("b", "1"), cell("b", "2")], ["os", "v"], new Map())).toEqual({
      os: ["a", "b"],
      v: ["1", "2"],
    });
    expect(renderMatrix([cell("a", "1"), cell("a", "2"), cell("b", "1")], ["os", "v"], new Map([["v", ["2", "1"]]]))).toEqual({
      os: ["a", "b"],
      v: ["2", "1"],
      exclude: [{ os: "b", v: "2" }],
    });
    expect(renderMatrix([cell("a", "1"), cell("b", "2")], ["os", "v"], new Map())).toEqual({ include: [cell("a", "1"), cell("b", "2")] });
    // 300 sparse cells over 300 × 300 values: include, without building the 90,000-cell product.
    const sparse = Array.from({ length: 300 }, (_, i) => cell(`o${i}`, `v${i}`));
    expect(renderMatrix(sparse, [], new Map()).include).toHaveLength(300);
  });

  it("quotes what YAML 1.1 or 1.2 would misread, and nothing else", () => {
    for (const s of ["yes", "No", "on", "OFF", "y", "~", "null", "3.10", "010", "1_000", "1:30", "2024-01-31", ".inf", "<<"]) {
      expect([s, isYaml11Ambiguous(s)]).toEqual([s, true]);
    }
    for (const s of ["ubuntu-latest", "3.10.1", "v4", "5432:5432", "main", "yes please"])
      expect([s, isYaml11Ambiguous(s)]).toEqual([s, false]);
    const yaml = toWorkflowYaml({ on: { push: null }, env: { ON: "yes", V: "3.10", P: "5432:5432", GO: "1.20.1" } });
    expect(yaml).toBe('on:\n  push:\nenv:\n  "ON": "yes"\n  V: "3.10"\n  P: 5432:5432\n  GO: 1.20.1\n');
  });

  it("renders 5,000 variants (timing is bench/render's job)", async () => {
    const graph = Array.from({ length: 1000 }, (_, j) =>
      ["3.2", "3.3", "3.4", "3.5", "3.6"].map((ruby) =>
        job(`j${j}-ruby${ruby}`, {
          jobId: `j${j}`,
          matrix: { ruby },
          needs: j > 0 ? [`job:j${j - 1}-ruby${ruby}`] : [],
          env: { A: "1" },
          steps: [run("make {{ matrix.ruby }}")],
        }),
      ),
    ).flat();
    const res = await harness.generate(request(graph));
    expect(res.fragments).toHaveLength(1);
    expect(res.fragments[0]?.content).toContain("  j999:\n    needs: [j998]\n");
  });
});
