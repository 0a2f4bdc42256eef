/**
 * @cig/core/registry: what a registry and its clients must agree on
 * (docs/registry.md) — addresses, module.toml, archives, the tree1 content
 * hash and release signatures. registry-server/ builds on these.
 */
// The error type, so that a registry can tell cig's errors apart without loading the plugin host.
export { CigError, isCigError } from "../errors/cig-error.js";
export type { ArchiveLimits } from "./archive-limits.js";
export { ARCHIVE_LIMITS } from "./archive-limits.js";
export type { InputType, ModuleInput, ModuleManifest } from "./module-manifest.js";
export { fitsInputType, inputTypeOf, parseModuleManifest } from "./module-manifest.js";
export { packArchive } from "./pack-archive.js";
export type { PluginAddress } from "./plugin-address.js";
export { addressProblem, DEFAULT_REGISTRY_HOST, isValidRange, parsePluginAddress } from "./plugin-address.js";
export type { VersionDocument, VersionSummary } from "./plugin-source.js";
export type { ArchiveEntry } from "./read-archive.js";
export { pathProblem, readArchive, sortEntries } from "./read-archive.js";
export type { PlatformHashes, ReleaseDocument, SigningKey } from "./release-signing.js";
export {
  decodeRelease,
  encodeRelease,
  generateSigningKey,
  keyIdOf,
  publicKeyOf,
  signatureKeyId,
  signRelease,
  verifyRelease,
} from "./release-signing.js";
export { archiveHash, readTree, TREE_SCHEME, treeHash, treeHashOfDir } from "./tree-hash.js";
export { isProcessAlive, writeFileAtomic } from "./write-file-atomic.js";
