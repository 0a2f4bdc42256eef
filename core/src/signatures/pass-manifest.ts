import type { SignatureResult } from "./signature-types.js";

/**
 * What a pass marker holds: the signature of a variant that passed and
 * every input it was computed from, so a later run can say which inputs
 * changed. Env values and the salt appear only as BLAKE3 hashes.
 */
export interface PassManifest {
  version: 1;
  job: string;
  variant: string;
  signature: string;
  /** ISO time of recording: orders passes for `last()`; never part of a signature. */
  recorded_at: string;
  components: {
    /** "blake3:<hex>" of the salt. */
    salt: string;
    patterns: string[];
    every_file: boolean;
    /** path → "<mode> <oid>", in path-byte order. */
    files: Record<string, string>;
    /** name → "blake3:<hex>" of (salt, name, value), or null when unset. */
    env: Record<string, string | null>;
    upstream: Record<string, string>;
    tools: Record<string, string>;
    /** "blake3:<hex>" of the canonical definition JSON. */
    definition: string;
  };
}

/** The manifest recording that `result`'s variant passed with its current signature. */
export function passManifest(result: SignatureResult, recordedAt: Date = new Date()): PassManifest {
  const c = result.components;
  const files: Record<string, string> = {};
  for (const f of c.files) files[f.path] = `${f.mode} ${f.oid}`;
  return {
    version: 1,
    job: result.job,
    variant: result.variant,
    signature: result.signature,
    recorded_at: recordedAt.toISOString(),
    components: {
      salt: c.salt,
      patterns: [...c.patterns],
      every_file: c.everyFile,
      files,
      env: { ...c.env },
      upstream: { ...c.upstream },
      tools: { ...c.tools },
      definition: c.definition,
    },
  };
}
