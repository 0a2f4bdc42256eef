/** The table at a value, or undefined; the schema check reports values of the wrong type. */
export function tableOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The strings of an array value with their indices; other entries are the schema check's business. */
export function stringsOf(value: unknown): [string, number][] {
  return Array.isArray(value) ? value.flatMap((v, i): [string, number][] => (typeof v === "string" ? [[v, i]] : [])) : [];
}

/** Up to ten names, quoted, for hints. */
export function quotedList(names: readonly string[]): string {
  if (names.length === 0) return "(none)";
  const shown = names.slice(0, 10).map((n) => JSON.stringify(n));
  return names.length > 10 ? `${shown.join(", ")}, …` : shown.join(", ");
}
