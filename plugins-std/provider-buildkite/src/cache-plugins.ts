import { type Cache, CacheAction_Operation } from "@cig/proto";
import type { JsonMap } from "./json-value.js";
import { CACHE_KEY_ORDER, orderKeys } from "./key-order.js";
import { PLUGIN_VERSIONS } from "./plugin-versions.js";

// A key part is a file pattern when it contains "/" or "*", starts with "."
// (.ruby-version) or ends in a file extension (Gemfile.lock, go.sum) — but
// never when it contains ":", "=" or whitespace, which mark literals such as
// "ruby:3.3.0". The same rule as every other provider (docs/cig-toml.md).
const PATTERN_CHARS = /[/*]/;
const LITERAL_CHARS = /[:=\s]/;
const DOTFILE_OR_EXTENSION = /^\.[^.]|[^.]\.[A-Za-z_][A-Za-z0-9_-]*$/;

/** True when `part` of a cache's key_parts names files to hash rather than literal text. */
export function isFilePart(part: string): boolean {
  const text = part.replace(/\{\{[^}]*\}\}/g, "x");
  if (LITERAL_CHARS.test(text)) return false;
  return PATTERN_CHARS.test(text) || DOTFILE_OR_EXTENSION.test(text);
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
