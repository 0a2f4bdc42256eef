import type { CigSchema } from "@cig/proto";

/**
 * The defaults of `[signatures]`. The core fills them into every request
 * (CigSchema.signatures), so a provider needs them only for requests built
 * by hand (tests, other hosts); a core test keeps them equal to the core's.
 */
export const SIGNATURE_DEFAULTS = {
  command: "npx --yes @cig/core@0.1.0",
  forceEnv: "CIG_FORCE",
  storeDir: ".cig/passes",
} as const;

/** `[signatures]` as a provider renders it: every field set, the store dir without trailing slashes. */
export interface SignatureSettings {
  /** The shell command that runs cig on CI machines. */
  command: string;
  /** The variable that forces jobs to run. */
  forceEnv: string;
  /** The pass store directory, relative to the repository root or absolute ("/" stays "/"). */
  storeDir: string;
}

/** The `[signatures]` settings of a request, with {@link SIGNATURE_DEFAULTS} for what it lacks. */
export function signatureSettings(schema: CigSchema | undefined): SignatureSettings {
  const sig = schema?.signatures;
  return {
    command: sig?.command || SIGNATURE_DEFAULTS.command,
    forceEnv: sig?.forceEnv || SIGNATURE_DEFAULTS.forceEnv,
    storeDir: (sig?.storeDir || SIGNATURE_DEFAULTS.storeDir).replace(/\/+$/, "") || "/",
  };
}
