import { compareUtf8 } from "./compare-utf8.js";

// Anything outside this set is replaced, so ids are safe as job keys and file names on every provider.
const UNSAFE = /[^A-Za-z0-9._-]/gu;

/**
 * One part of a variant id: the value, prefixed by its key when it starts
 * with a digit or is empty, so that `ruby = "3.2"` reads "ruby3.2" while
 * `arch = "amd64"` stays "amd64". Unsafe characters become "_".
 */
export function variantPart(key: string, value: string): string {
  const part = value === "" || /^[0-9]/.test(value) ? `${key}${value}` : value;
  return part.replace(UNSAFE, "_");
}

/**
 * The id of one matrix variant (without the "job:" prefix):
 * `<job>-<part>-<part>…`, one part per axis in the order written, then — for
 * a cell an `include` entry created — one per extra key in UTF-8 order (map
 * keys have no order of their own). Keys an include entry only adds to
 * existing cells are attributes, not identity, and are not part of the id.
 */
export function variantId(
  jobId: string,
  axes: readonly string[],
  values: Readonly<Record<string, string>>,
  extraKeys: readonly string[] = [],
): string {
  const parts: string[] = [];
  for (const axis of axes) {
    const value = values[axis];
    if (value !== undefined) parts.push(variantPart(axis, value));
  }
  for (const key of [...extraKeys].sort(compareUtf8)) parts.push(variantPart(key, values[key] ?? ""));
  return parts.length === 0 ? jobId : `${jobId}-${parts.join("-")}`;
}
