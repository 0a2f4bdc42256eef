import { runGit } from "./run-git.js";

// CI systems check out a detached HEAD, so their env is asked first. GITHUB_HEAD_REF is a
// pull request's source branch (GITHUB_REF_NAME is then "<n>/merge").
// CHANGE_BRANCH is a Jenkins pull request's source branch (BRANCH_NAME is then "PR-123");
// CI_MERGE_REQUEST_SOURCE_BRANCH_NAME a GitLab merge request pipeline's.
const BRANCH_VARIABLES = [
  "GITHUB_HEAD_REF",
  "GITHUB_REF_NAME",
  "CIRCLE_BRANCH",
  "BUILDKITE_BRANCH",
  "CHANGE_BRANCH",
  "BRANCH_NAME",
  "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
  "CI_COMMIT_REF_NAME",
];

/**
 * The branch being built, for `skip_if.branch`: the first non-empty of
 * GITHUB_HEAD_REF, GITHUB_REF_NAME, CIRCLE_BRANCH, BUILDKITE_BRANCH,
 * CHANGE_BRANCH, BRANCH_NAME (Jenkins), CI_MERGE_REQUEST_SOURCE_BRANCH_NAME,
 * CI_COMMIT_REF_NAME (GitLab), else
 * `git rev-parse --abbrev-ref HEAD` in `cwd`. Undefined on a detached HEAD
 * or outside git: no branch glob matches then.
 */
export async function currentBranch(cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  for (const name of BRANCH_VARIABLES) {
    const value = env[name];
    if (value) return value;
  }
  const out = await runGit(["rev-parse", "--abbrev-ref", "HEAD"], cwd);
  const branch = out.code === 0 ? out.stdout.toString("utf8").trim() : "";
  return branch === "" || branch === "HEAD" ? undefined : branch;
}
