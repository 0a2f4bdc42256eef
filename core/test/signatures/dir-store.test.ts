import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createDirStore, markerName, type PassManifest } from "../../src/signatures/index.js";
import { tempDir } from "./git-repo.js";

const SIG_A = `blake3:${"a".repeat(64)}`;
const SIG_B = `blake3:${"b".repeat(64)}`;

function manifest(variant: string, signature: string, recordedAt: string, note = ""): PassManifest {
  return {
    version: 1,
    job: variant.split("-")[0] ?? variant,
    variant,
    signature,
    recorded_at: recordedAt,
    components: { salt: note, patterns: [], every_file: true, files: {}, env: {}, upstream: {}, tools: {}, definition: "" },
  };
}

describe("markerName", () => {
  it("is cig-pass-v1-<variant>-<hex> with unsafe bytes percent-encoded", () => {
    expect(markerName("test-ruby3.2-amd64", SIG_A)).toBe(`cig-pass-v1-test-ruby3.2-amd64-${"a".repeat(64)}`);
    expect(markerName("a b/é*", SIG_A)).toBe(`cig-pass-v1-a%20b%2F%C3%A9%2A-${"a".repeat(64)}`);
  });

  it("rejects anything that is not blake3:<64 lowercase hex>", () => {
    for (const bad of ["", "blake3:abc", `sha256:${"a".repeat(64)}`, `blake3:${"A".repeat(64)}`]) {
      expect(() => markerName("x", bad)).toThrow(expect.objectContaining({ code: "CIG_SIG_BAD_SIGNATURE" }));
    }
  });
});

describe("createDirStore", () => {
  it("records create-only markers holding the manifest; a second record of the same pass changes nothing", async () => {
    const dir = join(tempDir(), "passes");
    const store = createDirStore(dir);
    expect(await store.has("build", SIG_A)).toBe(false);
    expect(await store.last("build")).toBeUndefined();
    await store.record(manifest("build", SIG_A, "2024-01-01T00:00:00.000Z", "first"));
    await store.record(manifest("build", SIG_A, "2024-02-01T00:00:00.000Z", "second"));
    expect(await store.has("build", SIG_A)).toBe(true);
    expect(await store.has("build", SIG_B)).toBe(false);
    expect(readdirSync(dir)).toEqual([markerName("build", SIG_A)]);
    const stored = JSON.parse(readFileSync(join(dir, markerName("build", SIG_A)), "utf8")) as PassManifest;
    expect(stored.components.salt).toBe("first");
  });

  it("survives concurrent recorders: one complete marker per pass, no temporary files left", async () => {
    const dir = tempDir();
    const stores = Array.from({ length: 8 }, () => createDirStore(dir));
    await Promise.all(
      stores.flatMap((s, i) => [
        s.record(manifest("build", SIG_A, `2024-01-01T00:00:0${i}.000Z`, `w${i}`)),
        s.record(manifest("test", SIG_B, "2024-01-01T00:00:00.000Z")),
      ]),
    );
    expect(readdirSync(dir).sort()).toEqual([markerName("build", SIG_A), markerName("test", SIG_B)]);
    const kept = JSON.parse(readFileSync(join(dir, markerName("build", SIG_A)), "utf8")) as PassManifest;
    expect(kept.components.salt).toMatch(/^w[0-7]$/u);
  });

  it("returns the newest pass of a variant from last(), never one of a variant whose id extends it", async () => {
    const store = createDirStore(tempDir());
    await store.record(manifest("a", SIG_A, "2024-03-01T00:00:00.000Z"));
    await store.record(manifest("a", SIG_B, "2024-01-01T00:00:00.000Z"));
    await store.record(manifest("a-b", SIG_B, "2024-06-01T00:00:00.000Z"));
    expect((await store.last("a"))?.signature).toBe(SIG_A);
    expect((await store.last("a-b"))?.variant).toBe("a-b");
    expect(await store.last("b")).toBeUndefined();
  });
});
