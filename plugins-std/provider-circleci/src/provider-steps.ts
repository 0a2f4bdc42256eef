import type { JsonMap } from "@cig/sdk";

/**
 * The first line of every `run` command this provider adds on its own (tool
 * installs, the gem install of a bundler-cached Ruby, checksum files for
 * cache keys, service port waits, the halt of a skipped job). A shell
 * comment, so it changes nothing when run; it tells a reader (and
 * test/parse-circleci.ts) that the step is not from cig.toml or a module.
 */
export const PROVIDER_STEP_MARKER = "# added by cig (provider/circleci)";

/**
 * The line put before a `continue_on_error` step's command: CircleCI has no
 * such key, so the step's shell ends with status 0 whatever happened. An EXIT
 * trap rather than `|| true` keeps `set -e` working inside the script (it is
 * off in any command whose status is tested) and reports the ignored status.
 */
export const CONTINUE_ON_ERROR_PREFIX =
  'trap \'s=$?; if [ "$s" -ne 0 ]; then echo "exit status $s ignored (continue_on_error)"; fi; exit 0\' EXIT';

/** A `run` step this provider adds: named, its command starting with {@link PROVIDER_STEP_MARKER}. */
export function providerRun(name: string, lines: readonly string[]): JsonMap {
  return { run: { name, command: [PROVIDER_STEP_MARKER, ...lines, ""].join("\n") } };
}
