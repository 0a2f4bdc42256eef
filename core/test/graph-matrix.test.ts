import { create } from "@bufbuild/protobuf";
import { MatrixSchema } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { expandMatrix, hasMatrix, variantId, variantPart } from "../src/graph/index.js";
import { matrix } from "./graph-fixtures.js";

const expand = (...args: Parameters<typeof matrix>) => expandMatrix("job", create(MatrixSchema, matrix(...args)));

describe("matrix expansion", () => {
  it("takes the cartesian product in the order written, last axis fastest", () => {
    const { variants, keys } = expand({ ruby: ["3.2", "3.3"], arch: ["amd64", "arm64"] });
    expect(variants.map((v) => v.id)).toEqual(["job-ruby3.2-amd64", "job-ruby3.2-arm64", "job-ruby3.3-amd64", "job-ruby3.3-arm64"]);
    expect(variants[1]?.values).toEqual({ ruby: "3.2", arch: "arm64" });
    expect([...keys]).toEqual(["ruby", "arch"]);
  });

  it("excludes every cell matching all keys of an entry, partial entries included", () => {
    const { variants, unusedExcludes } = expand(
      { os: ["linux", "mac", "win"], node: ["18", "20"] },
      [],
      [{ os: "mac", node: "18" }, { os: "win" }, { os: "bsd" }, { arch: "arm64" }],
    );
    expect(variants.map((v) => v.id)).toEqual(["job-linux-node18", "job-linux-node20", "job-mac-node20"]);
    // Entry 3 names no axis: the config loader reports that, so it is not flagged twice.
    expect(unusedExcludes).toEqual([2]);
  });

  // The example of GitHub's documentation ("Expanding or adding matrix configurations").
  it("follows GitHub Actions include semantics", () => {
    const { variants, keys } = expand({ fruit: ["apple", "pear"], animal: ["cat", "dog"] }, [
      { color: "green" },
      { color: "pink", animal: "cat" },
      { fruit: "apple", shape: "circle" },
      { fruit: "banana" },
      { fruit: "banana", animal: "cat" },
    ]);
    expect(variants.map((v) => v.values)).toEqual([
      { fruit: "apple", animal: "cat", color: "pink", shape: "circle" },
      { fruit: "apple", animal: "dog", color: "green", shape: "circle" },
      { fruit: "pear", animal: "cat", color: "pink" },
      { fruit: "pear", animal: "dog", color: "green" },
      { fruit: "banana" },
      { fruit: "banana", animal: "cat" },
    ]);
    // Keys an include adds to existing cells are not part of their ids; cells it creates are named by all their keys.
    expect(variants.map((v) => v.id)).toEqual([
      "job-apple-cat",
      "job-apple-dog",
      "job-pear-cat",
      "job-pear-dog",
      "job-banana",
      "job-banana-cat",
    ]);
    expect(variants.map((v) => v.include)).toEqual([undefined, undefined, undefined, undefined, 3, 4]);
    expect([...keys].sort()).toEqual(["animal", "color", "fruit", "shape"]);
  });

  it("lets include add back an excluded cell, as a cell of its own", () => {
    const { variants } = expand({ os: ["linux", "mac"], node: ["20"] }, [{ os: "mac", node: "20", experimental: "true" }], [{ os: "mac" }]);
    expect(variants.map((v) => [v.id, v.values])).toEqual([
      ["job-linux-node20", { os: "linux", node: "20" }],
      ["job-mac-node20-true", { os: "mac", node: "20", experimental: "true" }],
    ]);
  });

  it("names cells of an include-only matrix by their keys in UTF-8 order", () => {
    const { variants } = expand({}, [
      { version: "3.12", os: "linux" },
      { os: "mac", version: "3.11" },
    ]);
    expect(variants.map((v) => v.id)).toEqual(["job-linux-version3.12", "job-mac-version3.11"]);
    expect(Object.keys(variants[1]?.values ?? {})).toEqual(["os", "version"]);
  });

  it("knows an absent or empty matrix from a declared one", () => {
    expect(hasMatrix(undefined)).toBe(false);
    expect(hasMatrix(create(MatrixSchema))).toBe(false);
    expect(hasMatrix(create(MatrixSchema, matrix({}, [{ a: "b" }])))).toBe(true);
    expect(expand({ os: [] }).variants).toEqual([]);
  });
});

describe("variant ids", () => {
  it("prefixes values that start with a digit, or are empty, with their key", () => {
    expect(variantPart("ruby", "3.2")).toBe("ruby3.2");
    expect(variantPart("arch", "amd64")).toBe("amd64");
    expect(variantPart("os", "ubuntu-22.04")).toBe("ubuntu-22.04");
    expect(variantPart("flag", "")).toBe("flag");
    expect(variantPart("flag", "true")).toBe("true");
  });

  it("replaces characters outside A-Z a-z 0-9 . _ -", () => {
    expect(variantPart("image", "node:20/alpine")).toBe("node_20_alpine");
    expect(variantPart("name", "crème brûlée 🍮")).toBe("cr_me_br_l_e__");
  });

  it("keeps a job without parts as it is", () => {
    expect(variantId("test", [], {})).toBe("test");
    expect(variantId("test", ["os", "ruby"], { ruby: "3.3", os: "linux" })).toBe("test-linux-ruby3.3");
  });
});
