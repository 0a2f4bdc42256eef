import { type DetectResponseSchema, Diagnostic_Level, type DiagnosticSchema, type RepoSnapshot } from "@cig/proto";
import type { Reply } from "@cig/sdk";
import { firstValue, type Located, matchLocated as match, repoText, toolVersion } from "@cig/sdk";

/** Files whose content detection reads; the core inlines them. */
export const DETECT_PATTERNS = [".ruby-version", ".tool-versions", "Gemfile", "Gemfile.lock", "gems.rb", "gems.locked"];

// Bundler reads gems.rb/gems.locked when there is no Gemfile; the lockfile comes first
// because it is what `bundle install` and setup-ruby's cache key on.
const DEPENDENCY_FILES = ["Gemfile.lock", "gems.locked", "Gemfile", "gems.rb"];
// What setup-ruby accepts: 3.3, 3.3.0, jruby-9.4.5.0, truffleruby, 3.4.0-preview1; no spaces or ranges.
const USABLE_VERSION = /^[A-Za-z0-9][\w.+-]*$/;

/**
 * Detects a Ruby project at the repository root: the Ruby version (from
 * .ruby-version, .tool-versions, the Gemfile's `ruby "x.y.z"`, then
 * Gemfile.lock's RUBY VERSION — the order rbenv/asdf and then Bundler use),
 * the Bundler version the lockfile was written with, and the dependency file.
 */
export function detectRuby(repo: RepoSnapshot): Reply<typeof DetectResponseSchema> {
  const files = repoText(repo, "LANG_RUBY");
  const signals: string[] = [];
  const facts: Record<string, string> = {};
  const diagnostics: Reply<typeof DiagnosticSchema>[] = [];

  const dependencyFile = DEPENDENCY_FILES.find((f) => files.has(f));
  for (const f of DEPENDENCY_FILES) if (files.has(f)) signals.push(`has_${f.replace(/[-.]/g, "_").toLowerCase()}`);
  if (dependencyFile) facts.ruby_dependency_file = dependencyFile;
  const gemfile = files.text("Gemfile") ?? files.text("gems.rb");
  const lock = files.text("Gemfile.lock") ?? files.text("gems.locked");

  const sources: Array<[string, Located | undefined]> = [
    [".ruby-version", firstValue(files.text(".ruby-version"))],
    [".tool-versions", toolVersion(files.text(".tool-versions"), ["ruby"])],
    ["Gemfile#ruby", match(gemfile, /^\s*ruby\s+["'](\d+\.\d+(?:\.\d+)?)["']/m)],
    ["Gemfile.lock#RUBY VERSION", match(lock, /^RUBY VERSION\r?\n\s+ruby (\d+\.\d+\.\d+)/m)],
  ];
  for (const [source, found] of sources) {
    if (found && source.startsWith(".")) signals.push(`has_${source.slice(1).replace(/[-.]/g, "_")}`);
    if (!found || facts.ruby_version) continue;
    // rbenv writes "ruby-3.3.0"; setup-ruby and {{ ruby_version }} users want "3.3.0".
    const version = found.value.replace(/^ruby-(?=\d)/, "");
    if (!USABLE_VERSION.test(version)) {
      diagnostics.push(badVersion(source, found));
      continue;
    }
    facts.ruby_version = version;
    facts.ruby_version_source = source;
  }
  const bundler = match(lock, /^BUNDLED WITH\r?\n\s+(\d[\w.]*)/m);
  if (bundler) facts.bundler_version = bundler.value;

  const confidence = dependencyFile ? 0.9 : facts.ruby_version ? 0.6 : 0;
  if (confidence > 0) signals.unshift("ruby_detected");
  return { signals, facts, confidence, diagnostics: [...files.diagnostics, ...diagnostics] };
}

function badVersion(source: string, found: Located): Reply<typeof DiagnosticSchema> {
  const path = source.split("#")[0] ?? source;
  return {
    level: Diagnostic_Level.WARNING,
    code: "LANG_RUBY_BAD_VERSION",
    title: `${path} does not name a Ruby version`,
    message: `Found ${JSON.stringify(found.value)}; expected a version such as 3.3.0 or jruby-9.4.5.0. It was ignored.`,
    fixHint: `Write the version alone on the line, e.g. 3.3.0 (a merge conflict left in ${path} also causes this).`,
    loc: { path, line: found.line, column: found.column, endLine: found.line, endColumn: found.column + [...found.value].length },
  };
}
