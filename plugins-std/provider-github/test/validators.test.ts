import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { assertValidatorsAlive, validateWorkflow, WORKFLOW_SCHEMA_URL } from "./validate-workflow.js";

describe("the workflow validators", () => {
  it("find the schema in the repository", () => {
    expect(existsSync(fileURLToPath(WORKFLOW_SCHEMA_URL))).toBe(true);
  });

  it("each reject a workflow broken in its own way (proof they ran)", async () => {
    await expect(assertValidatorsAlive()).resolves.toBeUndefined();
  });

  it("accept a minimal valid workflow", async () => {
    const ok = "on: push\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n";
    expect(await validateWorkflow(ok)).toEqual([]);
  });

  it("catch needs naming a job that does not exist (actionlint and the parser, not the schema)", async () => {
    const bad = "on: push\njobs:\n  a:\n    needs: [ghost]\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n";
    const validators = new Set((await validateWorkflow(bad)).map((p) => p.validator));
    expect(validators).toContain("actionlint");
    expect(validators).toContain("workflow-parser");
  });
});
