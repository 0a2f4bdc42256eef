// Small statistics and formatting helpers shared by the benches.

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** min, p50, p90, p99, max and mean of a list of numbers. */
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    min: sorted[0],
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    mean: sum / sorted.length,
  };
}

/** Milliseconds with a precision that suits their size. */
export function ms(v) {
  if (!Number.isFinite(v)) return "n/a";
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  if (Math.abs(v) >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

/** A signed difference in ms, e.g. "+12.3". */
export function deltaMs(v) {
  return `${v >= 0 ? "+" : "−"}${ms(Math.abs(v))}`;
}

/** Integer with thin thousands separators. */
export function int(v) {
  return Math.round(v).toLocaleString("en-US");
}

export function mib(bytes) {
  return (bytes / (1024 * 1024)).toFixed(1);
}

/** A GitHub-flavoured markdown table. */
export function table(header, rows) {
  const lines = [`| ${header.join(" | ")} |`, `| ${header.map((_h, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`];
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  return lines.join("\n");
}

/** ✓ or ✗. */
export function mark(ok) {
  return ok ? "✓" : "✗";
}
