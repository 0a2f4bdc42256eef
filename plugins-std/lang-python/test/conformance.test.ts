import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = "plugins-std/lang-python/bin/cig-plugin-lang-python.js";

describe("lang/python as a real plugin process", () => {
  it("passes the conformance suite of the built cig CLI", () => {
    const r = spawnSync(process.execPath, ["core/bin/cig.js", "plugin", "test", BIN], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(r.stdout).toMatch(/lang\/python 0\.1\.0: \d+ passed, 0 failed/);
    expect(r.status).toBe(0);
  });
});
