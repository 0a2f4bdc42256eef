import type { Cache } from "@cig/proto";
import { isCacheKeyFile, type JsonMap, orderKeys } from "@cig/sdk";
import { CACHE_KEY_ORDER } from "./key-order.js";
import { providerRun } from "./provider-steps.js";

/** Where the checksum file of a cache's glob key parts is written (CircleCI's checksum takes one file). */
export const CHECKSUM_DIR = "/tmp/cig-checksums";

/**
 * True when `part` of a cache's key_parts names files to hash rather than
 * literal text: the rule every provider shares ({@link isCacheKeyFile}), with
 * `<< … >>` parameters and `${{ … }}` expressions always literal.
 */
export function isFilePart(part: string): boolean {
  return isCacheKeyFile(part, ["<<", "${{"]);
}

/** A cache's key, restore keys, and the step that must run first when a key part is a glob. */
export interface CacheKeys {
  key: string;
  /** Prefixes tried in order after the exact key. */
  restoreKeys: string[];
  /** Writes the checksum file of the glob parts; undefined without glob parts. */
  prepare: JsonMap | undefined;
}

/**
 * `<name>-{{ arch }}-<literal parts>-<file checksums>`. The architecture
 * stands in for GitHub's runner.os: caches hold platform-specific files.
 * Literal parts come before the checksums so that the key without them is a
 * prefix of it — the default restore key. A plain file part becomes
 * `{{ checksum "file" }}`; CircleCI's checksum takes one file, so the glob
 * parts (`**\/package-lock.json`) are hashed together into one file under
 * {@link CHECKSUM_DIR} by a provider step, and that file is checksummed.
 *
 * @param bind binds `{{ matrix.x }}` placeholders for this job
 */
export function cacheKeys(cache: Cache, bind: (text: string) => string): CacheKeys {
  const parts = cache.keyParts.map(bind);
  const literals = parts.filter((p) => !isFilePart(p));
  const files = parts.filter((p) => isFilePart(p) && !p.includes("*"));
  const globs = parts.filter((p) => isFilePart(p) && p.includes("*"));
  const sums = files.map((f) => `{{ checksum "${f}" }}`);
  const sumFile = `${CHECKSUM_DIR}/${cache.name}`;
  if (globs.length > 0) sums.push(`{{ checksum "${sumFile}" }}`);
  const prefix = [cache.name, "{{ arch }}", ...literals];
  const key = [...prefix, ...sums].join("-");
  const restoreKeys = cache.restoreKeys.map((k) => [cache.name, "{{ arch }}", bind(k)].join("-"));
  // Without file parts the key never changes, and a prefix of it would restore nothing new.
  if (restoreKeys.length === 0 && sums.length > 0) restoreKeys.push(`${prefix.join("-")}-`);
  const prepare =
    globs.length > 0
      ? providerRun(`Checksum files for cache ${cache.name}`, [
          `mkdir -p ${CHECKSUM_DIR}`,
          `bash -O globstar -O nullglob -c 'for f in ${globs.map(shellGlob).join(" ")}; do echo "$f"; cat "$f"; done' > ${sumFile}`,
        ])
      : undefined;
  return { key, restoreKeys, prepare };
}

/** `restore_cache` with the exact key first, then the restore keys. */
export function restoreCacheStep(cache: Cache, keys: CacheKeys): JsonMap {
  return { restore_cache: orderKeys({ name: `Restore cache ${cache.name}`, keys: [keys.key, ...keys.restoreKeys] }, CACHE_KEY_ORDER) };
}

/** `save_cache` of the cache's paths under its key. */
export function saveCacheStep(cache: Cache, keys: CacheKeys, bind: (text: string) => string): JsonMap {
  return { save_cache: orderKeys({ name: `Save cache ${cache.name}`, key: keys.key, paths: cache.paths.map(bind) }, CACHE_KEY_ORDER) };
}

// Inside the single-quoted bash -c script: a glob stays unquoted so bash
// expands it; a quote in it closes and reopens the outer quotes.
function shellGlob(glob: string): string {
  return glob.replace(/'/g, "'\\''").replace(/([ "$`\\])/g, "\\$1");
}
