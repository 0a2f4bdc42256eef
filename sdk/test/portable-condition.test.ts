import { describe, expect, it } from "vitest";
import { bindMatrixValues, formatCondition, matchesRefGlob, parseCondition } from "../src/index.js";

describe("parseCondition", () => {
  it("parses comparisons, status functions, precedence and parentheses", () => {
    const r = parseCondition("branch == 'main' && !(event == \"pull_request\") || failure()");
    expect(r.portable).toBe(true);
    if (!r.portable) return;
    expect(r.condition.kind).toBe("or");
    expect(formatCondition(r.condition)).toBe("(branch == 'main' && !(event == 'pull_request')) || failure()");
  });

  it("round-trips through formatCondition", () => {
    for (const text of [
      "always()",
      "tag != 'v*'",
      "!failure()",
      "branch == 'it''s'",
      "(branch == 'a' || branch == 'b') && event == 'push'",
    ]) {
      const r = parseCondition(text);
      expect(r.portable, text).toBe(true);
      if (!r.portable) continue;
      const again = parseCondition(formatCondition(r.condition));
      expect(again).toEqual(r);
    }
  });

  it("says why text is not portable (GitHub expressions stay native)", () => {
    expect(parseCondition("github.ref == 'refs/heads/main'")).toEqual({ portable: false, reason: expect.stringContaining("column 7") });
    expect(parseCondition("${{ always() }}").portable).toBe(false);
    expect(parseCondition("event == 'release'")).toEqual({ portable: false, reason: expect.stringContaining("unknown event") });
    expect(parseCondition("branch == main").portable).toBe(false);
    expect(parseCondition("(branch == 'main'").portable).toBe(false);
    expect(parseCondition("branch == 'a' branch").portable).toBe(false);
    expect(parseCondition("   ").portable).toBe(false);
  });
});

describe("matchesRefGlob and bindMatrixValues", () => {
  it("matches * within a segment and ** across", () => {
    expect(matchesRefGlob("release/*", "release/1.2")).toBe(true);
    expect(matchesRefGlob("release/*", "release/1/2")).toBe(false);
    expect(matchesRefGlob("release/**", "release/1/2")).toBe(true);
    expect(matchesRefGlob("v1.*", "v1x2")).toBe(false);
  });

  it("binds placeholders and reports unknown axes, leaving ${{ }} alone", () => {
    const unknown = new Set<string>();
    expect(bindMatrixValues("ruby {{ matrix.ruby }} on ${{ matrix.os }} {{ matrix.arch }}", { ruby: "3.3" }, unknown)).toBe(
      "ruby 3.3 on ${{ matrix.os }} {{ matrix.arch }}",
    );
    expect([...unknown]).toEqual(["arch"]);
  });
});
