/** Which variants `CIG_FORCE` (or a --force value) forces to run: all of them, or these job/variant ids. */
export type Forced = "all" | ReadonlySet<string>;

const ALL = new Set(["1", "true", "all"]);
const NONE = new Set(["", "0", "false"]);

/**
 * Parses force settings: `true`, "1", "true", "all" (any case) force every
 * variant; "0", "false" or empty force none; anything else is a comma list
 * of job or variant ids. Several settings (flag and env) add up.
 */
export function forcedIds(...settings: ReadonlyArray<string | boolean | undefined>): Forced {
  const ids = new Set<string>();
  for (const setting of settings) {
    if (setting === true) return "all";
    if (setting === false || setting === undefined) continue;
    const text = setting.trim();
    if (ALL.has(text.toLowerCase())) return "all";
    if (NONE.has(text.toLowerCase())) continue;
    for (const id of text.split(",")) if (id.trim() !== "") ids.add(id.trim().replace(/^job:/u, ""));
  }
  return ids;
}

/** Whether `forced` covers a variant of `job`. */
export function isForced(forced: Forced, job: string, variant: string): boolean {
  return forced === "all" || forced.has(job) || forced.has(variant);
}
