import { createTestHarness, fakeRepo } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { detectRuby } from "../src/detect-ruby.js";
import { langRubyDefinition } from "../src/plugin-definition.js";

const enc = new TextEncoder();
/** A snapshot; `null` lists a file without content, as the core does for files over its inline limit. */
const repo = (files: Record<string, string | Uint8Array | null>) => fakeRepo(files);
const LOCK = "GEM\n  specs:\n    pg (1.5.6)\n\nRUBY VERSION\n   ruby 3.2.2p53\n\nBUNDLED WITH\n   2.5.3\n";

describe("lang/ruby detection", () => {
  it("prefers .ruby-version (without rbenv's ruby- prefix) and reads Bundler's version from the lockfile", () => {
    const r = detectRuby(repo({ ".ruby-version": "ruby-3.3.0\n", Gemfile: 'ruby "3.1.4"\ngem "pg"\n', "Gemfile.lock": LOCK }));
    expect(r.facts).toEqual({
      ruby_version: "3.3.0",
      ruby_version_source: ".ruby-version",
      bundler_version: "2.5.3",
      ruby_dependency_file: "Gemfile.lock",
    });
    expect(r.signals).toEqual(["ruby_detected", "has_gemfile_lock", "has_gemfile", "has_ruby_version"]);
    expect(r.confidence).toBe(0.9);
  });

  it.each([
    [{ ".tool-versions": "nodejs 20.11.1\nruby 3.3.1 # pinned\n", Gemfile: "" }, "3.3.1", ".tool-versions"],
    [{ Gemfile: "source 'https://rubygems.org'\nruby '3.2.2'\n", "Gemfile.lock": LOCK }, "3.2.2", "Gemfile#ruby"],
    // `ruby file: ".ruby-version"` names no version; the lockfile's RUBY VERSION (patchlevel dropped) does.
    [{ Gemfile: 'ruby file: ".ruby-version"\n', "Gemfile.lock": LOCK }, "3.2.2", "Gemfile.lock#RUBY VERSION"],
  ])("falls back through the version sources in order (%#)", (files, version, source) => {
    expect(detectRuby(repo(files)).facts).toMatchObject({ ruby_version: version, ruby_version_source: source });
  });

  it("uses gems.rb when there is no Gemfile, and a version file alone gives 0.6", () => {
    expect(detectRuby(repo({ "gems.rb": 'gem "rack"\n' })).facts).toEqual({ ruby_dependency_file: "gems.rb" });
    const r = detectRuby(repo({ ".ruby-version": "3.3.0" }));
    expect(r).toMatchObject({ confidence: 0.6, facts: { ruby_version: "3.3.0" } });
    expect(r.facts?.ruby_dependency_file).toBeUndefined();
  });

  it("reports a .ruby-version that is not a version where it is, and goes on to the next source", () => {
    const r = detectRuby(repo({ ".ruby-version": "\n<<<<<<< HEAD\n3.3.0\n=======\n", Gemfile: 'ruby "3.2.0"' }));
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: "LANG_RUBY_BAD_VERSION",
        loc: expect.objectContaining({ path: ".ruby-version", line: 2, column: 1, endLine: 2, endColumn: 13 }),
      }),
    ]);
    expect(r.facts?.ruby_version).toBe("3.2.0");
  });

  it("reports files it cannot read: UTF-16 (Windows PowerShell's echo) and over the inline limit", () => {
    const utf16 = new Uint8Array([0xff, 0xfe, 0x33, 0x00, 0x2e, 0x00, 0x33, 0x00]);
    const r = detectRuby(repo({ ".ruby-version": utf16, Gemfile: 'gem "rails"', "Gemfile.lock": null }));
    expect(r.diagnostics?.map((d) => [d.code, d.loc?.path, d.loc?.line, d.loc?.column])).toEqual([
      ["LANG_RUBY_FILE_NOT_READ", "Gemfile.lock", 0, 0],
      ["LANG_RUBY_FILE_NOT_READ", ".ruby-version", 1, 1],
    ]);
    expect(r).toMatchObject({ confidence: 0.9, facts: { ruby_dependency_file: "Gemfile.lock" } });
  });

  it("finds nothing in a repository without Ruby", () => {
    expect(detectRuby(repo({ "package.json": "{}", ".tool-versions": "nodejs 20\n" }))).toMatchObject({
      signals: [],
      facts: {},
      confidence: 0,
    });
  });

  it("works through the SDK test harness (wire round trip)", async () => {
    const h = createTestHarness(langRubyDefinition);
    expect(h.info()).toMatchObject({ name: "lang/ruby", capabilities: expect.arrayContaining(["lang:ruby"]) });
    const res = await h.detect({ repo: { root: "/r", files: [{ path: ".ruby-version", content: enc.encode("3.3.0\n") }] } });
    expect(res.facts.ruby_version).toBe("3.3.0");
  });
});
