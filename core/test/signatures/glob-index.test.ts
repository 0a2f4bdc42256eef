import fc from "fast-check";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { GLOB_OPTIONS, GlobIndex, type RepoFile } from "../../src/signatures/index.js";

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
        expect(new GlobIndex(files).match(glob)).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it("unions includes, subtracts excludes, and names includes that match nothing", () => {
    const files = ["a/1", "a/2", "b/1", "c/1"].map(fileOf);
    const index = new GlobIndex(files);
    expect(index.select(["b/**", "a/**", "nope/**"], ["a/2"])).toEqual({ indexes: [0, 2], empty: ["nope/**"] });
  });
});
