/**
 * Every GitHub action this provider writes into a workflow, pinned to a major
 * version. One table, so that a version bump is one reviewed line here and in
 * docs/providers/github.md ("Pinned actions"), and golden files change with it.
 *
 * Majors, not commit SHAs: these are GitHub's own or the language communities'
 * official actions, whose major tags are maintained and receive fixes; users
 * who require SHA pinning can replace a step through a provider override.
 */
export const ACTION_VERSIONS = {
  checkout: "actions/checkout@v4",
  cache: "actions/cache@v4",
  cacheRestore: "actions/cache/restore@v4",
  cacheSave: "actions/cache/save@v4",
  setupRuby: "ruby/setup-ruby@v1",
  setupNode: "actions/setup-node@v4",
  setupPnpm: "pnpm/action-setup@v4",
  setupBun: "oven-sh/setup-bun@v2",
  setupPython: "actions/setup-python@v5",
  setupGo: "actions/setup-go@v5",
  setupJava: "actions/setup-java@v4",
} as const;

/** The repository part of a `uses:` reference ("actions/checkout" for "actions/checkout@v4"). */
export function actionRepo(ref: string): string {
  const at = ref.lastIndexOf("@");
  return (at < 0 ? ref : ref.slice(0, at)).toLowerCase();
}
