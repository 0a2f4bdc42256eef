import { type Cache, CacheAction_Operation } from "@cig/proto";
import { isCacheKeyFile, type JsonMap } from "@cig/sdk";
import { ACTION_VERSIONS } from "./action-versions.js";
import { bindMatrix, expressionString, type MatrixBinding } from "./matrix-placeholders.js";

/**
 * True when `part` of a cache's key_parts names files to hash rather than
 * literal text: the rule every provider shares ({@link isCacheKeyFile}), with
 * `${{ … }}` expressions always literal.
 */
export function isFilePart(part: string): boolean {
  return isCacheKeyFile(part, ["${{"]);
}

/**
 * The `actions/cache` key: `${{ runner.os }}-<name>-<literal parts>-<file hashes>`.
 * The OS leads because caches hold platform-specific files; literal parts
 * ("ruby:3.3.0") come before the `${{ hashFiles('…') }}` of file parts, each
 * group in key_parts order, so that the key without its file hashes is a
 * prefix of it — the default restore key (docs/cig-toml.md).
 */
export function cacheKey(cache: Cache, binding: MatrixBinding, unknown: Set<string>): { key: string; defaultRestoreKey?: string } {
  const literals = cache.keyParts.filter((p) => !isFilePart(p)).map((p) => bindMatrix(p, binding, unknown));
  const hashes = cache.keyParts.filter(isFilePart).map((p) => `\${{ hashFiles(${expressionString(p, binding, unknown)}) }}`);
  const prefix = [`\${{ runner.os }}`, cache.name, ...literals];
  const key = [...prefix, ...hashes].join("-");
  // Without file parts the key never changes, and a prefix of it would restore nothing new.
  return hashes.length > 0 ? { key, defaultRestoreKey: `${prefix.join("-")}-` } : { key };
}

/**
 * The actions/cache step for `cache`: restore-and-save (`actions/cache`),
 * restore only or save only (its `restore` / `save` sub-actions).
 * `restore-keys` are prefixes inside the cache's namespace,
 * `${{ runner.os }}-<name>-<restore key>`; without restore_keys, the key
 * without its file hashes.
 */
export function renderCacheStep(cache: Cache, operation: CacheAction_Operation, binding: MatrixBinding, unknown: Set<string>): JsonMap {
  const restoreOnly = operation === CacheAction_Operation.RESTORE;
  const saveOnly = operation === CacheAction_Operation.SAVE;
  const uses = restoreOnly ? ACTION_VERSIONS.cacheRestore : saveOnly ? ACTION_VERSIONS.cacheSave : ACTION_VERSIONS.cache;
  const name = `${restoreOnly ? "Restore cache" : saveOnly ? "Save cache" : "Cache"} ${cache.name}`;
  const { key, defaultRestoreKey } = cacheKey(cache, binding, unknown);
  const withInputs: JsonMap = { path: cache.paths.map((p) => bindMatrix(p, binding, unknown)).join("\n"), key };
  const restoreKeys = cache.restoreKeys.map((k) => [`\${{ runner.os }}`, cache.name, bindMatrix(k, binding, unknown)].join("-"));
  if (restoreKeys.length === 0 && defaultRestoreKey) restoreKeys.push(defaultRestoreKey);
  if (!saveOnly && restoreKeys.length > 0) withInputs["restore-keys"] = restoreKeys.join("\n");
  return { name, uses, with: withInputs };
}
