import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { assertValidatorsAlive, GITLAB_CI_LOCAL, GITLAB_SCHEMA_URL, validateGitlab } from "./validate-gitlab.js";

describe("the GitLab validators", () => {
  it("find the schema and gitlab-ci-local in the repository", () => {
    expect(existsSync(fileURLToPath(GITLAB_SCHEMA_URL))).toBe(true);
    expect(existsSync(GITLAB_CI_LOCAL)).toBe(true);
  });

  it("each reject a pipeline broken in its own way (proof they ran)", async () => {
    await expect(assertValidatorsAlive()).resolves.toBeUndefined();
  });

  it("accept a minimal valid pipeline", async () => {
    expect(await validateGitlab("stages: [a]\njob:\n  stage: a\n  script: [echo hi]\n")).toEqual([]);
  });

  it("catch an undeclared stage and a job without script (gitlab-ci-local, not the schema)", async () => {
    const stage = await validateGitlab("stages: [a]\njob:\n  stage: b\n  script: [echo hi]\n");
    expect(stage.map((p) => p.validator)).toContain("gitlab-ci-local");
    const noScript = await validateGitlab("stages: [a]\njob:\n  stage: a\n  image: node:20\n");
    expect(noScript.map((p) => p.validator)).toContain("gitlab-ci-local");
  });
});
