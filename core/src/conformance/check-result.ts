/** The outcome of one conformance check. */
export interface CheckResult {
  name: string;
  ok: boolean;
  /** Why it failed, or a short note when it passed. */
  detail?: string;
  ms: number;
}

/** Runs `fn` as a named check: a throw or a returned string is a failure. */
export async function check(name: string, fn: () => Promise<string | undefined | { note: string }>): Promise<CheckResult> {
  const t0 = performance.now();
  try {
    const out = await fn();
    const ms = Math.round(performance.now() - t0);
    if (typeof out === "string") return { name, ok: false, detail: out, ms };
    return out ? { name, ok: true, detail: out.note, ms } : { name, ok: true, ms };
  } catch (err) {
    const ms = Math.round(performance.now() - t0);
    return {
      name,
      ok: false,
      detail: err instanceof Error ? `${(err as { code?: string }).code ?? ""} ${err.message}`.trim() : String(err),
      ms,
    };
  }
}
