import fc from "fast-check";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { FileRecords, filesSection, GLOB_OPTIONS, GlobIndex, type RepoFile, runIndexes } from "../../src/signatures/index.js";

const SEGMENTS = ["src", "src-old", "a", "a.b", ".hidden", "lib", "x y", "\u00e9", "e\u0301", "\u{1f600}", "\u{e000}", "index.ts"];
const GLOBS = [
  "**",
  "src/**",
  "src/*",
  "src*/**",
  "a/**/*.ts",
  "**/.hidden/**",
  "*.ts",
  "lib/index.ts",
  "src/{a,lib}/**",
  "x y/**",
  "\u00e9/**",
  "src\\*",
  // picomatch.scan() calls these static, but makeRe honours their braces and brackets.
  "{src}/**",
  "[src/**",
];

function fileOf(path: string): RepoFile {
  return { path, pathBytes: Buffer.from(path), mode: "100644", oid: "0".repeat(40) };
}

describe("GlobIndex", () => {
  it("finds exactly what testing every path with picomatch finds", () => {
    const paths = fc.uniqueArray(
      fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 4 }).map((s) => s.join("/")),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(paths, fc.constantFrom(...GLOBS), (list, glob) => {
        const files = list.map(fileOf).sort((a, b) => Buffer.compare(a.pathBytes, b.pathBytes));
        const isMatch = picomatch(glob, GLOB_OPTIONS);
        const expected = files.flatMap((f, i) => (isMatch(f.path) ? [i] : []));
        expect(runIndexes(new GlobIndex(files).match(glob))).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it("unions includes, subtracts excludes, and names includes that match nothing", () => {
    const files = ["a/1", "a/2", "b/1", "c/1"].map(fileOf);
    const index = new GlobIndex(files);
    const selected = index.select(["b/**", "a/**", "nope/**"], ["a/2"]);
    expect(selected).toEqual({ runs: [0, 1, 2, 3], count: 2, empty: ["nope/**"] });
    expect(runIndexes(selected.runs)).toEqual([0, 2]);
  });

  it("unions overlapping includes and subtracts excludes that split a run", () => {
    const files = ["a/1", "a/2", "a/3", "a/4", "b/1", "c/1"].map(fileOf);
    const index = new GlobIndex(files);
    const selected = index.select(["a/**", "a/*", "b/**"], ["a/2", "a/4"]);
    expect(runIndexes(selected.runs)).toEqual([0, 2, 4]);
    expect(selected.count).toBe(3);
  });
});

describe("FileRecords", () => {
  it("gives the files section filesSection writes, for any runs", () => {
    const segment = fc.stringMatching(/^[a-z\u00e9\u{1f600} ]{1,6}$/u);
    fc.assert(
      fc.property(fc.uniqueArray(segment, { minLength: 1, maxLength: 30 }), fc.array(fc.boolean(), { maxLength: 30 }), (names, picks) => {
        const files = names
          .map((n, i) => ({
            path: n,
            pathBytes: Buffer.from(n),
            mode: i % 3 === 0 ? "100755" : "100644",
            oid: i.toString(16).padStart(40, "0"),
          }))
          .sort((a, b) => Buffer.compare(a.pathBytes, b.pathBytes));
        const chosen = files.flatMap((_, i) => (picks[i] ? [i] : []));
        const runs: number[] = [];
        for (const i of chosen) {
          if (runs.length > 0 && runs[runs.length - 1] === i) runs[runs.length - 1] = i + 1;
          else runs.push(i, i + 1);
        }
        const section = new FileRecords(files).section(runs, chosen.length);
        expect(section.equals(filesSection(chosen.map((i) => files[i] as RepoFile)))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
