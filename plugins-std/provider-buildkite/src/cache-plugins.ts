import { type Cache, CacheAction_Operation } from "@cig/proto";
import { isCacheKeyFile, type JsonMap, orderKeys } from "@cig/sdk";
import { CACHE_KEY_ORDER } from "./key-order.js";
import { PLUGIN_VERSIONS } from "./plugin-versions.js";

/** True when `part` of a cache's key_parts names files to hash rather than literal text: the rule every provider shares. */
export function isFilePart(part: string): boolean {
  return isCacheKeyFile(part);
}

/** Restore and/or save, as collected from a job's cache steps and `caches`. */
export interface CacheUse {
  restore: boolean;
  save: boolean;
}

/** Folds a cache step's operation into what the job does with that cache. */
export function addOperation(use: CacheUse, op: CacheAction_Operation): CacheUse {
  const restore = op !== CacheAction_Operation.SAVE;
  const save = op !== CacheAction_Operation.RESTORE;
  return { restore: use.restore || restore, save: use.save || save };
}

/**
 * One `cache#…` plugin entry per cache path (the plugin caches one path).
 * File key parts become the `manifest` (hashed by the plugin); literal parts,
 * after the cache name, become `key-extra`. Restoring goes up to the
 * `pipeline` level — file, then step, branch, pipeline — which stands in for
 * restore keys ("the newest cache of this name"); saving writes the `file`
 * level (exact key) and the `pipeline` level (the fallback). `soft-fail`:
 * a cache is an optimisation and must not fail the job, as on the other
 * providers. `bind` binds matrix placeholders.
 */
export function cachePlugins(cache: Cache, use: CacheUse, bind: (s: string) => string): JsonMap[] {
  const manifest = cache.keyParts.filter(isFilePart).map(bind);
  const extra = [cache.name, ...cache.keyParts.filter((p) => !isFilePart(p)).map(bind)].join("-");
  return cache.paths.map((path) => {
    const opts: JsonMap = { path: bind(path) };
    if (manifest.length > 0) opts.manifest = manifest.length === 1 ? (manifest[0] as string) : manifest;
    opts["key-extra"] = extra;
    if (use.restore) opts.restore = "pipeline";
    if (use.save) opts.save = manifest.length > 0 ? ["file", "pipeline"] : "pipeline";
    opts["soft-fail"] = true;
    return { [PLUGIN_VERSIONS.cache]: orderKeys(opts, CACHE_KEY_ORDER) };
  });
}
