import { type Cache, CacheAction_Operation } from "@cig/proto";
import { bindMatrixValues, isCacheKeyFile, type JsonMap, orderKeys } from "@cig/sdk";
import { CACHE_KEY_ORDER } from "./key-order.js";

/** GitLab computes `cache:key:files` from at most two files. */
export const MAX_KEY_FILES = 2;
/** GitLab restores and saves at most four caches per job. */
export const MAX_CACHES = 4;

/** True when `part` of a cache's key_parts names files to hash rather than literal text: the rule every provider shares. */
export function isFilePart(part: string): boolean {
  return isCacheKeyFile(part);
}

/** A named cache as one `cache:` entry, and the file parts that did not fit into GitLab's key. */
export interface RenderedCache {
  entry: JsonMap;
  droppedFiles: string[];
}

/**
 * `[caches.<name>]` as a GitLab cache entry for one variant: the file parts
 * become `key:files` (GitLab hashes them; at most two, the rest are
 * reported) and the name with the literal parts the key's `prefix`, so
 * caches of different names or versions never share a key. Without file
 * parts the key is that text alone. `policy` from the operation: restore
 * only → pull, save only → push.
 */
export function renderCache(
  cache: Cache,
  operation: CacheAction_Operation,
  matrix: Readonly<Record<string, string>>,
  unknown: Set<string>,
): RenderedCache {
  const bind = (s: string) => bindMatrixValues(s, matrix, unknown);
  const files = cache.keyParts.filter(isFilePart).map(bind);
  const prefix = keyText([cache.name, ...cache.keyParts.filter((p) => !isFilePart(p)).map(bind)].join("-"));
  const entry: JsonMap = {
    key: files.length > 0 ? { files: files.slice(0, MAX_KEY_FILES), prefix } : prefix,
    paths: cache.paths.map(bind),
  };
  if (operation === CacheAction_Operation.RESTORE) entry.policy = "pull";
  if (operation === CacheAction_Operation.SAVE) entry.policy = "push";
  return { entry: orderKeys(entry, CACHE_KEY_ORDER), droppedFiles: files.slice(MAX_KEY_FILES) };
}

// GitLab rejects a key with "/" (it names a directory on the runner) or made only of dots.
function keyText(text: string): string {
  const key = text.replace(/[/\\]/g, "-");
  return /^\.*$/.test(key) ? `cache${key}` : key;
}

/**
 * The policy for a cache several steps of one job name: restore and save in
 * different steps is GitLab's default pull-push, which happens at the start
 * and the end of the job whatever the steps' positions.
 */
export function combineOperations(ops: readonly CacheAction_Operation[]): CacheAction_Operation {
  // A job's `caches` entry without a step: restore at the start, save at the end.
  if (ops.length === 0) return CacheAction_Operation.RESTORE_AND_SAVE;
  const restore = ops.some((o) => o !== CacheAction_Operation.SAVE);
  const save = ops.some((o) => o !== CacheAction_Operation.RESTORE);
  return restore && save ? CacheAction_Operation.RESTORE_AND_SAVE : restore ? CacheAction_Operation.RESTORE : CacheAction_Operation.SAVE;
}
