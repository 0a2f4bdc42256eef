import { didYouMean } from "../config/did-you-mean.js";
import { compareUtf8 } from "./compare-utf8.js";

// One did-you-mean for all of cig: the config loader's.
export { didYouMean } from "../config/did-you-mean.js";

/** "Did you mean "x"?" or, failing that, the known names (at most `max`), for a diagnostic's fix hint. */
export function suggestion(name: string, known: Iterable<string>, what: string, max = 8): string {
  const all = [...new Set(known)].sort(compareUtf8);
  const close = didYouMean(name, all);
  if (close !== undefined) return `Did you mean "${close}"?`;
  if (all.length === 0) return `There are no ${what}.`;
  const shown = all.slice(0, max).map((n) => `"${n}"`);
  return `Known ${what}: ${shown.join(", ")}${all.length > max ? `, … (${all.length - max} more)` : ""}.`;
}
