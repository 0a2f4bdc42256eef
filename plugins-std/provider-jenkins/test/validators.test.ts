import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseJenkins } from "./parse-jenkins.js";
import { assertValidatorsAlive, GROOVY_LINT, validateJenkinsFiles } from "./validate-jenkins.js";

describe("the Jenkinsfile validator and parser", () => {
  it("finds npm-groovy-lint in the repository", () => {
    expect(existsSync(GROOVY_LINT)).toBe(true);
  });

  it("rejects broken Groovy (proof it ran), accepts a valid pipeline, and lints several files in one run", async () => {
    await expect(assertValidatorsAlive()).resolves.toBeUndefined();
    const ok =
      "pipeline {\n    agent any\n    stages {\n        stage('a') {\n            steps {\n                sh 'echo hi'\n            }\n        }\n    }\n}\n";
    const bad = "pipeline {\n    stages {\n        stage('a') {\n            steps { sh 'x\n";
    const [okProblems, badProblems] = await validateJenkinsFiles([ok, bad]);
    expect(okProblems).toEqual([]);
    expect(badProblems?.length).toBeGreaterThan(0);
  }, 60_000);

  it("parser refuses text it cannot read", () => {
    expect(() => parseJenkins("node { }")).toThrow(/pipeline/);
    expect(() => parseJenkins("pipeline { stages { stage('a') { steps { sh 'x } } } }")).toThrow(/unterminated/);
  });
});
