import type { Cache } from "@cig/proto";
import { type Diag, type DiagTarget, isCacheKeyFile, type JsonMap, warningDiag } from "@cig/sdk";
import { block } from "./groovy-text.js";
import { namedArgs } from "./passthrough-groovy.js";

/** One cache a job uses, and whether it restores and/or saves it. */
export interface CacheUse {
  name: string;
  restore: boolean;
  save: boolean;
}

/** The Job Cacher plugin's size limit (MB) when the job's `jenkins = { cache = { … } }` sets none; the step requires one. */
export const DEFAULT_MAX_CACHE_SIZE = 1024;

/**
 * True when `part` of a cache's key_parts names files to hash rather than
 * literal text: the rule every provider shares ({@link isCacheKeyFile}), with
 * `${{ … }}` expressions always literal.
 */
export function isFilePart(part: string): boolean {
  return isCacheKeyFile(part, ["${{"]);
}

/**
 * The job's caches around its steps, with the Job Cacher plugin's `cache`
 * step (Jenkins has no cache of its own): restored before the block, saved
 * after it. One `arbitraryFileCache` per path; the cache's name plus its
 * literal key parts name it (`bundler-ruby_3.3.0`: a new literal is a new
 * cache), and its file parts are the `cacheValidityDecidingFile` patterns,
 * which Job Cacher hashes. Caches that are only restored get `skipSave`,
 * only saved `skipRestore`, each group its own `cache` block.
 */
export function wrapInCaches(
  uses: readonly CacheUse[],
  caches: ReadonlyMap<string, Cache>,
  options: JsonMap,
  inner: readonly string[],
  bind: (text: string) => string,
  at: DiagTarget,
  diagnostics: Diag[],
): string[] {
  let body = [...inner];
  const groups: Array<[string, CacheUse[]]> = [
    ["", uses.filter((u) => u.restore && u.save)],
    ["skipSave", uses.filter((u) => u.restore && !u.save)],
    ["skipRestore", uses.filter((u) => !u.restore && u.save)],
  ];
  // Innermost last: wrap in reverse so the restore-and-save block is outermost.
  for (const [flag, group] of groups.reverse()) {
    const entries = group.flatMap((u) => {
      const cache = caches.get(u.name);
      if (!cache) return [];
      if (cache.restoreKeys.length > 0) diagnostics.push(restoreKeysIgnored(cache.name, at));
      return fileCaches(cache, bind);
    });
    if (entries.length === 0) continue;
    const args: JsonMap = { maxCacheSize: DEFAULT_MAX_CACHE_SIZE, ...options };
    if (flag) args[flag] = true;
    body = block(`cache(${namedArgs(args)}, caches: [${entries.join(", ")}])`, body);
  }
  return body;
}

function fileCaches(cache: Cache, bind: (text: string) => string): string[] {
  const literals = cache.keyParts.filter((p) => !isFilePart(p)).map(bind);
  const files = cache.keyParts.filter(isFilePart).map(bind);
  const name = [cache.name, ...literals].join("-").replace(/[^A-Za-z0-9._-]/g, "_");
  return cache.paths.map((path, i) => {
    const args: JsonMap = { path: bind(path), cacheName: cache.paths.length > 1 ? `${name}-${i + 1}` : name };
    if (files.length > 0) args.cacheValidityDecidingFile = files.join(",");
    return `arbitraryFileCache(${namedArgs(args)})`;
  });
}

function restoreKeysIgnored(name: string, at: DiagTarget): Diag {
  return warningDiag(
    "PROVIDER_JENKINS_CACHE_RESTORE_KEYS",
    `restore_keys of cache ${name} have no Jenkins equivalent`,
    "The Job Cacher plugin restores a cache only when its validity files are unchanged; it has no prefix fallback, so restore_keys were left out.",
    'Remove restore_keys, or set jenkins = { cache = { defaultBranch = "main" } } on the job to seed new branches from main\'s cache.',
    at,
  );
}
