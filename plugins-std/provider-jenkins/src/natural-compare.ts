import { compareStrings } from "@cig/sdk";

/**
 * Code-unit order, except that runs of digits compare as numbers, so that
 * `test-ruby3.2` comes before `test-ruby3.10` as a reader expects. Still a
 * total, locale-independent order: equal numbers fall back to code units.
 */
export function naturalCompare(a: string, b: string): number {
  const split = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const pa = split(a);
  const pb = split(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    }
    const c = compareStrings(x, y);
    if (c !== 0) return c;
  }
  return pa.length - pb.length || compareStrings(a, b);
}
