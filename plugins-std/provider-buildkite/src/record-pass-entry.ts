import { PROVIDER_MARK } from "./job-script.js";
import type { SignatureSettings } from "./signature-settings.js";
import { shellQuote } from "./translate-condition.js";

const SIGNATURE = /^blake3:([0-9a-f]{64})$/;

/**
 * The pass marker's file name, `cig-pass-v1-<variant>-<64 hex>`, exactly as
 * the core names it (docs/work-signatures.md): the variant id with every byte
 * outside `A-Za-z0-9._-` percent-encoded. Undefined for a malformed signature.
 */
export function markerName(variantId: string, signature: string): string | undefined {
  const hex = SIGNATURE.exec(signature)?.[1];
  if (hex === undefined) return undefined;
  const encoded = encodeURIComponent(variantId).replace(/[!~*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `cig-pass-v1-${encoded}-${hex}`;
}

/**
 * The job-script entry that records a pass of a skippable variant, placed
 * just before the epilogue: it runs only while no step that counts has
 * failed (`cig_failed` is 0), that is exactly when the job is about to exit
 * 0. It records with `<command> record-pass <id> --signature <sig>` (a
 * marker holding the pass manifest, which later reasons and `cig explain`
 * compare against); where that cannot run — a tool image without Node, a
 * checkout git refuses to read in a container — it creates the bare marker
 * file, which is all a skip needs. Recording never fails the job: a lost
 * record only costs a run next time. Undefined for a malformed signature.
 */
export function recordPassEntry(variantId: string, signature: string, settings: SignatureSettings): string | undefined {
  const marker = markerName(variantId, signature);
  if (marker === undefined) return undefined;
  const id = shellQuote(variantId);
  const dir = shellQuote(settings.storeDir);
  return [
    `${PROVIDER_MARK}record the pass of ${variantId.replace(/\s*\n\s*/g, " ")} (docs/providers/buildkite.md)`,
    'if [ "$cig_failed" = 0 ]; then',
    `${settings.command} record-pass ${id} --signature ${signature} ||`,
    `{ mkdir -p -- ${dir} && : >> ${shellQuote(`${settings.storeDir}/${marker}`)}; } ||`,
    `echo ${shellQuote(`cig: could not record the pass of ${variantId}; it runs again next time`)} >&2`,
    "fi",
  ].join("\n");
}
