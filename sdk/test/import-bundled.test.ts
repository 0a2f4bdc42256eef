import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { importBundled } from "../src/import-bundled.js";

function pkg(): { bin: string; dist: string } {
  const root = mkdtempSync(join(tmpdir(), "cig-bundled-"));
  const dist = join(root, "dist");
  mkdirSync(join(root, "bin"));
  mkdirSync(dist);
  writeFileSync(join(dist, "main.js"), "export const from = 'modules';\n");
  writeFileSync(join(dist, "helper.js"), "export const x = 1;\n");
  writeFileSync(join(dist, "bundle.mjs"), "export const from = 'bundle';\n");
  return { bin: pathToFileURL(join(root, "bin", "x.js")).href, dist };
}

describe("importBundled", () => {
  it("loads the bundle while every input is unchanged since it was built", async () => {
    const { bin, dist } = pkg();
    writeFileSync(join(dist, "bundle-inputs.json"), JSON.stringify({ built: Date.now() + 1000, inputs: ["main.js", "helper.js"] }));
    expect(await importBundled<{ from: string }>(bin, "../dist/main.js")).toMatchObject({ from: "bundle" });
  });

  it("loads the modules when an input changed after the build, or without a manifest", async () => {
    const stale = pkg();
    const built = Date.now() - 60_000;
    writeFileSync(join(stale.dist, "bundle-inputs.json"), JSON.stringify({ built, inputs: ["main.js", "helper.js"] }));
    const old = new Date(built - 60_000);
    utimesSync(join(stale.dist, "main.js"), old, old);
    // helper.js keeps its fresh mtime: newer than the bundle.
    expect(await importBundled<{ from: string }>(stale.bin, "../dist/main.js")).toMatchObject({ from: "modules" });
    const none = pkg();
    expect(await importBundled<{ from: string }>(none.bin, "../dist/main.js")).toMatchObject({ from: "modules" });
    const gone = pkg();
    writeFileSync(join(gone.dist, "bundle-inputs.json"), JSON.stringify({ built: Date.now() + 1000, inputs: ["deleted.js"] }));
    expect(await importBundled<{ from: string }>(gone.bin, "../dist/main.js")).toMatchObject({ from: "modules" });
  });
});
