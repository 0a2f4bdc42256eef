/**
 * Every Buildkite plugin this provider writes, pinned to a release tag. One
 * table, so that a version bump is one reviewed line here and in
 * docs/providers/buildkite.md ("Plugins"), and golden files change with it.
 * Buildkite resolves `name#ref` to the git tag of buildkite-plugins/<name>-buildkite-plugin,
 * so a full tag, not a floating major, is what keeps builds reproducible.
 */
export const PLUGIN_VERSIONS = {
  docker: "docker#v5.13.0",
  cache: "cache#v1.10.0",
} as const;

/** The plugin name of a `plugins:` entry key ("docker" for "docker#v5.13.0" or "buildkite-plugins/docker#v5"). */
export function pluginName(ref: string): string {
  const hash = ref.indexOf("#");
  const base = hash < 0 ? ref : ref.slice(0, hash);
  return (base.split("/").at(-1) ?? base).replace(/-buildkite-plugin$/, "").toLowerCase();
}
