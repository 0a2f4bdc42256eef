/**
 * Every error code cig can report, with the process exit code the CLI uses
 * for it. docs/errors.md documents each; a test keeps the two in step.
 */
export const ERROR_CODES = {
  // The configuration or the rendered output has errors (diagnostics printed).
  CIG_DIAGNOSTICS: 1,
  // Usage: the command line itself is wrong.
  CIG_USAGE: 2,
  CIG_CONFIG_NOT_FOUND: 2,
  // Plugins that cannot start.
  CIG_PLUGIN_NOT_FOUND: 3,
  CIG_PLUGIN_NOT_EXECUTABLE: 3,
  CIG_PLUGIN_SPAWN_FAILED: 3,
  CIG_PLUGIN_EXITED_EARLY: 3,
  CIG_PLUGIN_START_TIMEOUT: 3,
  CIG_PLUGIN_BAD_HANDSHAKE: 3,
  CIG_PLUGIN_PROTOCOL_MISMATCH: 3,
  CIG_PLUGIN_BAD_INFO: 3,
  // Plugins that fail while running.
  CIG_PLUGIN_CRASHED: 4,
  CIG_PLUGIN_TIMEOUT: 4,
  CIG_PLUGIN_STDOUT_GARBAGE: 4,
  CIG_PLUGIN_BAD_RESPONSE: 4,
  CIG_PLUGIN_MESSAGE_TOO_LARGE: 4,
  CIG_PLUGIN_HOOK_FAILED: 4,
  CIG_PLUGIN_UNIMPLEMENTED: 4,
  CIG_PLUGIN_TRANSPORT: 4,
  // Plugin sets that do not fit together.
  CIG_CAPABILITY_UNMET: 5,
  CIG_CAPABILITY_CONFLICT: 5,
  CIG_PLUGIN_DUPLICATE: 5,
  CIG_PROVIDER_MISSING: 5,
  // A plugin conformance run found failures.
  CIG_CONFORMANCE_FAILED: 6,
  // Outputs that cannot be written.
  CIG_OUTPUT_NOT_OURS: 7,
  CIG_OUTPUT_WRITE: 7,
  // `cig render --check`: committed outputs differ from what cig.toml renders.
  CIG_OUTPUTS_STALE: 8,
  // Work signatures that cannot be computed or recorded (docs/work-signatures.md).
  CIG_SIG_GIT_FAILED: 9,
  CIG_SIG_READ_FAILED: 9,
  CIG_SIG_HASH_UNAVAILABLE: 9,
  CIG_SIG_CONFIG_OUTSIDE_REPO: 9,
  CIG_SIG_STORE_FAILED: 9,
  CIG_SIG_BAD_SIGNATURE: 2,
  // Plugins from registries: addresses, manifests, resolution, cig.lock, the cache (docs/registry.md).
  CIG_PLUGIN_ADDRESS_INVALID: 2,
  CIG_SIGNING_KEY_INVALID: 2,
  CIG_MODULE_MANIFEST_INVALID: 10,
  CIG_REGISTRY_UNREACHABLE: 10,
  CIG_REGISTRY_BAD_RESPONSE: 10,
  CIG_REGISTRY_REJECTED: 10,
  CIG_RESOLVE_NOT_FOUND: 10,
  CIG_RESOLVE_CONFLICT: 10,
  CIG_LOCK_MISSING: 11,
  CIG_LOCK_INVALID: 11,
  CIG_LOCK_STALE: 11,
  CIG_ARCHIVE_UNSAFE: 12,
  CIG_HASH_MISMATCH: 12,
  CIG_SIGNATURE_INVALID: 12,
  CIG_SIGNER_UNKNOWN: 12,
  CIG_SIGNER_CHANGED: 12,
  CIG_PLUGIN_TAMPERED: 12,
  CIG_OFFLINE_UNAVAILABLE: 10,
  CIG_CACHE_FAILED: 10,
  // The graph handed to the signer is not a DAG of known variants: a bug in cig.
  CIG_SIG_BAD_GRAPH: 70,
  // A bug in cig itself.
  CIG_INTERNAL: 70,
} as const;

/** A `CIG_…` error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The exit code for an error code. */
export function exitCodeFor(code: ErrorCode): number {
  return ERROR_CODES[code];
}
