import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { assertValidatorsAlive, CIRCLECI_SCHEMA_URL, validateCircleci } from "./validate-circleci.js";

describe("the CircleCI validator", () => {
  it("finds the schema in the repository", () => {
    expect(existsSync(fileURLToPath(CIRCLECI_SCHEMA_URL))).toBe(true);
  });

  it("rejects configs broken in ways the schema must catch (proof it ran)", async () => {
    await expect(assertValidatorsAlive()).resolves.toBeUndefined();
  });

  it("reports a step with two actions, and YAML that 1.1 and 1.2 read differently", async () => {
    const twoActions = "version: 2.1\njobs:\n  a:\n    docker:\n      - image: x\n    steps:\n      - run: a\n        checkout: b\n";
    expect((await validateCircleci(twoActions)).map((p) => p.validator)).toContain("json-schema");
    const yes = "version: 2.1\njobs:\n  a:\n    docker:\n      - image: x\n    environment:\n      A: yes\n    steps:\n      - checkout\n";
    expect(await validateCircleci(yes)).toEqual([{ validator: "yaml", message: expect.stringContaining("YAML 1.1") }]);
  });
});
