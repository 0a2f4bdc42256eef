/**
 * CircleCI job keys must match `^[A-Za-z][A-Za-z\s\d_-]*$` (the published
 * schema): no dots, a letter first. cig ids are `[A-Za-z_][A-Za-z0-9._-]*`.
 * The key is only a handle for the job definition: the workflow entry's
 * `name` carries the exact variant id whenever the key differs, so the
 * sanitisation need not be reversible, only collision-free.
 */
export function circleciJobKey(raw: string): string {
  const key = raw.replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z]/.test(key) ? key : `j${key}`;
}

/** Hands out unique job keys: a key already taken gets `-2`, `-3`, …. */
export class JobKeys {
  readonly #taken = new Set<string>();

  /** A free key for `raw` and whether it had to be renamed. */
  claim(raw: string): { key: string; renamed: boolean } {
    const base = circleciJobKey(raw);
    let key = base;
    for (let n = 2; this.#taken.has(key); n++) key = `${base}-${n}`;
    this.#taken.add(key);
    return { key, renamed: key !== base };
  }
}
