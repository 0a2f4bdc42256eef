import { isAbsolute } from "node:path";
import type { GenerateRequest } from "@cig/proto";
import { type Diag, errorDiag, rewireSkippedNeeds, warningDiag } from "@cig/sdk";
import { recordPassEntry } from "./record-pass-entry.js";
import type { Variant } from "./render-command-step.js";
import { BOOTSTRAP_KEY } from "./signature-bootstrap.js";
import { type SignatureSettings, signatureSettings } from "./signature-settings.js";

/**
 * What a request renders (docs/providers/buildkite.md, "Skipping unchanged jobs"):
 * - `plain`: no variant is skippable — the pipeline exactly as without the feature;
 * - `bootstrap`: the committed file, whose one step renders the rest at run time;
 * - `runtime`: `GenerateRequest.decisions` is set — the variants that run.
 */
export type SkipRendering =
  | { kind: "plain"; diagnostics: Diag[] }
  | { kind: "bootstrap"; settings: SignatureSettings; diagnostics: Diag[] }
  | { kind: "runtime"; settings: SignatureSettings; diagnostics: Diag[] };

/** Which rendering `req` asks for, given its variants, their step keys (by resource id) and the output paths. */
export function skipRendering(
  req: GenerateRequest,
  variants: readonly Variant[],
  keys: ReadonlyMap<string, string>,
  outputs: readonly string[],
): SkipRendering {
  if (!variants.some((v) => v.job.skippable)) return { kind: "plain", diagnostics: [] };
  // `compute-signatures --render buildkite` prints one pipeline: it cannot tell which file a bootstrap stands for.
  if (outputs.length > 1) return { kind: "plain", diagnostics: [severalOutputs(outputs)] };
  // The bootstrap and the steps it uploads share one build, where keys must be unique.
  const clashes = variants.filter((v) => keys.get(v.resourceId) === BOOTSTRAP_KEY);
  if (clashes.length > 0) return { kind: "plain", diagnostics: clashes.map(reservedKey) };
  const settings = signatureSettings(req.schema);
  return { kind: req.decisions ? "runtime" : "bootstrap", settings, diagnostics: [] };
}

/** One variant of a run-time pipeline: whether it runs, and the variant as rendered (needs rewritten, pass recorded). */
export interface RuntimeVariant {
  variant: Variant;
  runs: boolean;
}

/**
 * The variants of a run-time pipeline. A variant runs unless its decision
 * says otherwise (a variant the decisions do not name runs: a mismatch must
 * never skip); a running variant's needs on skipped variants become their
 * nearest running ancestors; a running skippable variant records its pass
 * after success, under the signature it was decided with.
 */
export function runtimeVariants(
  req: GenerateRequest,
  variants: readonly Variant[],
  settings: SignatureSettings,
): { variants: RuntimeVariant[]; diagnostics: Diag[] } {
  const decisions = req.decisions?.jobs ?? {};
  const runs = (id: string) => decisions[id]?.shouldRun !== false;
  const needs = rewireSkippedNeeds(
    variants.map((v) => ({ id: v.resourceId, needs: v.job.needs })),
    runs,
  );
  const diagnostics: Diag[] = [];
  const out = variants.map((v): RuntimeVariant => {
    if (!runs(v.resourceId)) return { variant: v, runs: false };
    const rewritten: Variant = { ...v, job: { ...v.job, needs: needs.get(v.resourceId) ?? [] } };
    const signature = decisions[v.resourceId]?.signature;
    if (!v.job.skippable || signature === undefined) return { variant: rewritten, runs: true };
    const entry = recordPassEntry(v.resourceId.replace(/^job:/, ""), signature, settings);
    if (entry === undefined) {
      diagnostics.push(badSignature(v, signature));
      return { variant: rewritten, runs: true };
    }
    const mount = isAbsolute(settings.storeDir) ? settings.storeDir : undefined;
    return { variant: { ...rewritten, record: mount ? { entry, mount } : { entry } }, runs: true };
  });
  return { variants: out, diagnostics };
}

function reservedKey(v: Variant): Diag {
  return errorDiag(
    "PROVIDER_BUILDKITE_RESERVED_KEY",
    `The step key ${BOOTSTRAP_KEY} of ${v.resourceId} is reserved for the skip machinery`,
    `provider/buildkite uploads the steps that run from a bootstrap step keyed ${BOOTSTRAP_KEY}, and keys must be unique within a build; the pipeline was rendered without skipping, so every job runs.`,
    "Rename the job in cig.toml.",
    { resourceId: v.resourceId, loc: v.job.loc },
  );
}

function severalOutputs(outputs: readonly string[]): Diag {
  return warningDiag(
    "PROVIDER_BUILDKITE_SKIP_SEVERAL_OUTPUTS",
    `Skippable jobs are not skipped on Buildkite: cig.toml has ${outputs.length} buildkite outputs`,
    `The bootstrap step uploads what \`cig compute-signatures --render buildkite\` prints, which is one pipeline; with ${outputs.join(", ")} it could not tell which. Every file was rendered without skipping, so every job runs.`,
    'Keep one [[outputs]] entry with provider = "buildkite" to skip unchanged jobs.',
  );
}

function badSignature(v: Variant, signature: string): Diag {
  return warningDiag(
    "PROVIDER_BUILDKITE_BAD_SIGNATURE",
    `The decision for ${v.resourceId} has no valid work signature`,
    `"${signature}" is not blake3:<64 hex digits>, so the step cannot record its pass and runs again next time.`,
    "This is a cig core bug: report it with the output of `cig compute-signatures --json`.",
    { resourceId: v.resourceId, loc: v.job.loc },
  );
}
