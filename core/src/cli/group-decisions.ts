import type { Decision } from "../signatures/index.js";
import { markerName } from "../signatures/index.js";

/** What a generated pipeline does with one job or variant before asking its cache. */
export type SkipMode = "run" | "skip" | "check";

/** One entry of the `decisions` JSON that `--github-output` writes (docs/work-signatures.md). */
export interface ModeEntry {
  mode: SkipMode;
  signature: string;
  /** The pass marker's name: also the cache key the pipeline probes and saves. */
  key: string;
  reason: string;
}

type Blake3 = (data: Uint8Array) => string;

/**
 * Modes per variant and per cig.toml job (the group of its variants). A
 * variant with a local pass or a matching skip_if is "skip"; a skippable
 * one without is "check" (the pipeline probes its cache for `key`); the
 * rest "run". A group runs if any variant runs, skips if every variant
 * skips, and is checked otherwise; its signature is BLAKE3 over the tag
 * "cig-group-v1" and its variants' signatures in variant-id order, so a
 * matrix job's key changes when any cell's does.
 */
export function modeEntries(decisions: readonly Decision[], blake3: Blake3): Record<string, ModeEntry> {
  const out: Record<string, ModeEntry> = {};
  const groups = new Map<string, Decision[]>();
  for (const d of decisions) {
    const mode: SkipMode = d.should_run ? (d.skippable && d.reason !== "forced" ? "check" : "run") : "skip";
    out[d.variant] = { mode, signature: d.signature, key: markerName(d.variant, d.signature), reason: d.reason };
    const list = groups.get(d.job) ?? [];
    list.push(d);
    groups.set(d.job, list);
  }
  for (const [job, members] of groups) {
    const only = members.length === 1 && members[0]?.variant === job ? members[0] : undefined;
    if (only) continue; // A job without a matrix is its own only variant: one entry serves both.
    const modes = members.map((d) => out[d.variant]?.mode);
    const mode: SkipMode = modes.includes("run") ? "run" : modes.every((m) => m === "skip") ? "skip" : "check";
    const sorted = [...members].sort((a, b) => Buffer.compare(Buffer.from(a.variant), Buffer.from(b.variant)));
    const frames = [frame("cig-group-v1"), ...sorted.flatMap((d) => [frame(d.variant), frame(d.signature)])];
    const signature = `blake3:${blake3(Buffer.concat(frames))}`;
    const reason = mode === "skip" ? "unchanged" : (members.find((d) => d.should_run)?.reason ?? "unchanged");
    out[job] = { mode, signature, key: markerName(job, signature), reason };
  }
  return out;
}

// Length-framed like the signature stream, so ids cannot run into signatures.
function frame(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}
