import type { Diagnostic } from "@cig/proto";
import type { RepoFile } from "./repo-state.js";
import type { SignatureVariant } from "./variants-from-graph.js";

/** Every input of one signature, in a form to store (manifests) and show (explain). */
export interface SignatureComponents {
  /** "blake3:<hex>" of the salt's bytes: salts are compared, never stored. */
  salt: string;
  /** The variant's patterns as written (relative to cig.toml's directory), sorted by UTF-8 bytes, unique. */
  patterns: readonly string[];
  /** True when the variant is skippable, has no patterns, and so hashes every file of the repository. */
  everyFile: boolean;
  /** The files hashed, in path-byte order. Shared between variants with the same patterns: do not mutate. */
  files: readonly RepoFile[];
  /** skip_if.env name → "blake3:<hex>" of (salt, name, value), or null when unset. Values are never kept. */
  env: Readonly<Record<string, string | null>>;
  /** Upstream variant id → its signature. */
  upstream: Readonly<Record<string, string>>;
  /** Tool fact name → version. */
  tools: Readonly<Record<string, string>>;
  /** "blake3:<hex>" of the canonical definition JSON. */
  definition: string;
}

/** The work signature of one variant. */
export interface SignatureResult {
  /** Variant id (without "job:"). */
  variant: string;
  /** cig.toml job id. */
  job: string;
  /** "blake3:<64 hex>". */
  signature: string;
  /** Whether the variant may be skipped at all (skip_if or inputs, and not never_skip). */
  skippable: boolean;
  components: SignatureComponents;
  /** The input this was computed from (skip_if branch and env names, never_skip, …). */
  spec: SignatureVariant;
}

/** What {@link computeSignatures} returns. */
export interface ComputedSignatures {
  /** One per variant, every variant after the variants it needs. */
  results: SignatureResult[];
  /** Warnings: CIG_SIG_EMPTY_GLOB, one per job and pattern that matched no file. */
  diagnostics: Diagnostic[];
}
