import { isYaml11Ambiguous } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { isFilePart } from "../src/cache-plugins.js";
import { stepKey, variantIdOfKey } from "../src/step-key.js";
import { globToRegex } from "../src/translate-condition.js";
import { harness } from "./generate-valid.js";
import { job, request, run } from "./request-builders.js";

describe("provider/buildkite building blocks", () => {
  it("makes valid, reversible step keys", () => {
    for (const id of ["test-ruby3.2-amd64", "t-os:linux", "t-a,b", "t-ü/x y", "t-%3a"]) {
      const { key, truncated } = stepKey(id);
      expect(truncated).toBe(false);
      expect(key).toMatch(/^[a-zA-Z0-9_\-:.,]+$/);
      expect(variantIdOfKey(key)).toBe(id);
    }
    expect(stepKey("t-os:linux").key).toBe("t-os:3alinux");
    const long = stepKey(`j-${"x".repeat(120)}`);
    expect(long.truncated).toBe(true);
    expect(long.key.length).toBe(100);
  });

  it("turns portable globs into anchored regexes", () => {
    expect(globToRegex("release/*")).toBe("^release\\/[^\\/]*$");
    expect(globToRegex("v1.**", false)).toBe("^v1\\..*$");
  });

  it("tells file key parts from literal ones, and quotes what YAML 1.1 misreads", () => {
    expect(["Gemfile.lock", "**/package-lock.json", ".nvmrc"].map(isFilePart)).toEqual([true, true, true]);
    expect(["ruby:3.3", "v2", "3.3"].map(isFilePart)).toEqual([false, false, false]);
    expect(["yes", "on", "3.10", "010", "2024-01-31"].every(isYaml11Ambiguous)).toBe(true);
    expect(["main", "3.10.1", "5432:5432"].some(isYaml11Ambiguous)).toBe(false);
  });

  it("renders 5,000 variants (timing is bench/render's job)", async () => {
    const graph = Array.from({ length: 1000 }, (_, j) =>
      ["3.2", "3.3", "3.4", "3.5", "3.6"].map((ruby) =>
        job(`j${j}-ruby${ruby}`, {
          jobId: `j${j}`,
          matrix: { ruby },
          needs: j > 0 ? [`job:j${j - 1}-ruby${ruby}`] : [],
          steps: [run("make {{ matrix.ruby }}")],
        }),
      ),
    ).flat();
    const res = await harness.generate(request(graph));
    expect(res.fragments[0]?.content).toContain("    key: j999-ruby3.6\n    depends_on: [j998-ruby3.6]\n");
  });
});
