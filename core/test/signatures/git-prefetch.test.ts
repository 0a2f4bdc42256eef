import { describe, expect, it } from "vitest";
import { prefetchRepoState, repoStateOutputs } from "../../src/signatures/git-prefetch.js";
import { readRepoState } from "../../src/signatures/index.js";
import { gitRepo } from "./git-repo.js";

describe("prefetchRepoState", () => {
  it("hands its git runs to the first reader of the same directory only", async () => {
    const root = gitRepo({ "a.txt": "a\n" });
    prefetchRepoState(root);
    const first = repoStateOutputs(root);
    const again = repoStateOutputs(root);
    expect(first).not.toBe(again);
    const [a, b] = await Promise.all([Promise.all(first), Promise.all(again)]);
    expect(a.map((o) => o.stdout.toString("latin1"))).toEqual(b.map((o) => o.stdout.toString("latin1")));
  });

  it("is ignored for another directory, and readRepoState reads the same either way", async () => {
    const root = gitRepo({ "a.txt": "a\n", "b/c.txt": "c\n" });
    const plain = await readRepoState(root);
    prefetchRepoState(`${root}/b`);
    expect(await readRepoState(root)).toEqual(plain);
    prefetchRepoState(root);
    expect(await readRepoState(root)).toEqual(plain);
  });
});
