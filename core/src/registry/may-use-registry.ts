// A [plugins] table (or [plugins."x"] sub-table, or dotted keys), or a `uses` ("…" or '…') whose
// version is a range or that has no version at all.
const MAYBE = /^\s*\[\s*plugins\s*[\].]|^\s*plugins\s*[.=]|\buses\s*=\s*["'](?:[^"'@]*["']|[^"']*@[^"']*[~^<>=*|xX])/m;

/**
 * A cheap test of cig.toml's text for "might ask for a registry plugin", so
 * that a run whose cig.toml has none neither loads the registry code nor
 * parses the file a second time. False positives only cost that parse.
 */
export function mayUseRegistry(text: string): boolean {
  return MAYBE.test(text);
}
