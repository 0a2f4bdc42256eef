/**
 * Orders strings by their UTF-8 bytes, the order cig uses wherever output
 * must not depend on the machine or on JavaScript's UTF-16 comparison (which
 * sorts U+E000–U+FFFF after astral characters; UTF-8 sorts them before).
 * Code point order equals UTF-8 byte order, so nothing is encoded.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate starts (or ends) an astral code point: compare whole code points there.
    if (isSurrogate(x) || isSurrogate(y)) return (a.codePointAt(i) ?? x) - (b.codePointAt(i) ?? y);
    return x - y;
  }
  return a.length - b.length;
}

function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
}
