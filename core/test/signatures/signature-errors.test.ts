import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/errors/error-codes.js";
import { computeSignatures, readRepoState, SIGNATURE_ERROR_CODES, type SignatureVariant } from "../../src/signatures/index.js";
import { gitRepo } from "./git-repo.js";

function variant(id: string, needs: string[]): SignatureVariant {
  return { id, job: id, needs, patterns: [], env: [], branches: [], tools: {}, definition: "{}", skippable: false, neverSkip: false };
}

describe("signature errors", () => {
  it("registers every CIG_SIG_ code with an exit code", () => {
    for (const code of SIGNATURE_ERROR_CODES) expect(ERROR_CODES, code).toHaveProperty(code);
  });

  it("reports a failing git as CIG_SIG_GIT_FAILED with git's message and a hint", async () => {
    const root = gitRepo({ "a.txt": "a\n" });
    writeFileSync(join(root, ".git/index"), "not an index");
    const err = await readRepoState(root).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "CIG_SIG_GIT_FAILED",
      message: expect.stringMatching(/index/u),
      hint: expect.stringMatching(/git status/u),
    });
  });

  it("rejects needs outside the signed set and cycles as CIG_SIG_BAD_GRAPH", async () => {
    const repo = { source: "filesystem" as const, root: "/", files: [], notices: [] };
    const sign = (variants: SignatureVariant[]) => computeSignatures({ variants, repo });
    await expect(sign([variant("a", ["missing"])])).rejects.toMatchObject({ code: "CIG_SIG_BAD_GRAPH" });
    await expect(sign([variant("a", ["b"]), variant("b", ["a"])])).rejects.toMatchObject({ code: "CIG_SIG_BAD_GRAPH" });
    const ordered = await sign([variant("c", ["b"]), variant("b", ["a"]), variant("a", [])]);
    expect(ordered.results.map((r) => r.variant)).toEqual(["a", "b", "c"]);
  });
});
