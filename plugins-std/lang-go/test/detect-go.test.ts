import { createTestHarness, fakeRepo } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { detectGo } from "../src/detect-go.js";
import { langGoDefinition } from "../src/plugin-definition.js";

const enc = new TextEncoder();
const repo = (files: Record<string, string | null>) => fakeRepo(files);
const GOMOD = "module github.com/acme/shop\n\ngo 1.22\n\ntoolchain go1.22.4\n\nrequire (\n\tgithub.com/jackc/pgx/v5 v5.5.5\n)\n";

describe("lang/go detection", () => {
  it("prefers go.mod's toolchain over its go directive, and reads the module path", () => {
    const r = detectGo(repo({ "go.mod": GOMOD, "go.sum": null }));
    expect(r.facts).toEqual({
      go_version: "1.22.4",
      go_version_source: "go.mod#toolchain",
      go_module: "github.com/acme/shop",
      go_dependency_file: "go.sum",
    });
    expect(r.signals).toEqual(["go_detected", "has_go_mod", "has_go_sum"]);
    expect(r.confidence).toBe(0.9);
  });

  it.each([
    [{ ".go-version": "go1.23.1\n", "go.mod": GOMOD }, "1.23.1", ".go-version"],
    [{ ".tool-versions": "golang 1.21.13\n", "go.mod": GOMOD }, "1.21.13", ".tool-versions"],
    [{ "go.mod": "module x\n\ngo 1.21rc2\n\ntoolchain default\n" }, "1.21rc2", "go.mod#go"],
  ])("version sources in order: pinned file, .tool-versions, go.mod (%#)", (files, version, source) => {
    expect(detectGo(repo(files)).facts).toMatchObject({ go_version: version, go_version_source: source });
  });

  it("a module without go.sum has no dependencies; a workspace is signalled", () => {
    const r = detectGo(repo({ "go.mod": "module x\ngo 1.22\n", "go.work": null }));
    expect(r.facts).toMatchObject({ go_dependency_file: "go.mod" });
    expect(r.signals).toContain("has_go_work");
  });

  it("reports a go directive that is not a Go release where it is, with the command that fixes it", () => {
    const r = detectGo(repo({ "go.mod": "module x\n\ngo 1.x\n" }));
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: "LANG_GO_BAD_VERSION",
        fixHint: expect.stringContaining("go mod edit -go="),
        loc: expect.objectContaining({ path: "go.mod", line: 3, column: 4, endColumn: 7 }),
      }),
    ]);
    expect(r.facts?.go_version).toBeUndefined();
  });

  it("reports go.mod when it cannot be read, and finds nothing in a repository without Go", () => {
    expect(detectGo(repo({ "go.mod": null })).diagnostics?.map((d) => d.code)).toEqual(["LANG_GO_FILE_NOT_READ"]);
    expect(detectGo(repo({ "main.go": null, ".tool-versions": "nodejs 20" }))).toMatchObject({ signals: [], facts: {}, confidence: 0 });
  });

  it("works through the SDK test harness (wire round trip)", async () => {
    const h = createTestHarness(langGoDefinition);
    expect(h.info()).toMatchObject({ name: "lang/go", capabilities: expect.arrayContaining(["lang:go"]) });
    const res = await h.detect({ repo: { root: "/r", files: [{ path: "go.mod", content: enc.encode("module m\ngo 1.23\n") }] } });
    expect(res.facts.go_version).toBe("1.23");
  });
});
