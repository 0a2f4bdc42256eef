import { describe, expect, it } from "vitest";
import { currentBranch } from "../../src/signatures/index.js";
import { git, gitRepo, tempDir } from "./git-repo.js";

describe("currentBranch", () => {
  it("prefers CI variables in the documented order, then git, and is undefined when detached or outside git", async () => {
    const root = gitRepo({ "a.txt": "a\n" });
    expect(await currentBranch(root, {})).toBe("main");
    expect(await currentBranch(root, { GITHUB_REF_NAME: "12/merge", GITHUB_HEAD_REF: "feature/x" })).toBe("feature/x");
    expect(await currentBranch(root, { GITHUB_HEAD_REF: "", GITHUB_REF_NAME: "main", CIRCLE_BRANCH: "other" })).toBe("main");
    expect(await currentBranch(root, { CIRCLE_BRANCH: "c", BUILDKITE_BRANCH: "b" })).toBe("c");
    expect(await currentBranch(root, { BUILDKITE_BRANCH: "b", BRANCH_NAME: "j" })).toBe("b");
    expect(await currentBranch(root, { BRANCH_NAME: "j", CI_COMMIT_REF_NAME: "g" })).toBe("j");
    expect(await currentBranch(root, { CI_COMMIT_REF_NAME: "g" })).toBe("g");
    // Pull/merge requests: the source branch, not Jenkins' "PR-12" or GitLab's merge ref.
    expect(await currentBranch(root, { BRANCH_NAME: "PR-12", CHANGE_BRANCH: "dependabot/npm/x" })).toBe("dependabot/npm/x");
    expect(await currentBranch(root, { CI_COMMIT_REF_NAME: "mr", CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "feat" })).toBe("feat");
    git(root, "checkout", "-q", "--detach");
    expect(await currentBranch(root, {})).toBeUndefined();
    expect(await currentBranch(tempDir(), {})).toBeUndefined();
  });
});
