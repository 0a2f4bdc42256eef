// A cache's key_parts mix files to hash with literal text
// (`["Gemfile.lock", "ruby:{{ ruby }}"]`, docs/cig-toml.md). Every provider
// must split them the same way, or one cig.toml would hash different files on
// different platforms.
//
// A key part is a file pattern when it contains "/" or "*", starts with "."
// (.ruby-version) or ends in a file extension (Gemfile.lock, go.sum) — but
// never when it contains ":", "=" or whitespace, which mark literals such as
// "ruby:3.3.0". Matrix placeholders count as plain letters for this test.
const PATTERN_CHARS = /[/*]/;
const LITERAL_CHARS = /[:=\s]/;
const DOTFILE_OR_EXTENSION = /^\.[^.]|[^.]\.[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * True when `part` of a cache's key_parts names files to hash rather than
 * literal text. A part containing one of `literalMarkers` is always literal:
 * a provider passes the openers of its platform's own expressions (`${{` on
 * GitHub, `<<` on CircleCI), which a key may use and which are never paths.
 */
export function isCacheKeyFile(part: string, literalMarkers: readonly string[] = []): boolean {
  if (literalMarkers.some((m) => part.includes(m))) return false;
  const text = part.replace(/\{\{[^}]*\}\}/g, "x");
  if (LITERAL_CHARS.test(text)) return false;
  return PATTERN_CHARS.test(text) || DOTFILE_OR_EXTENSION.test(text);
}
