/**
 * Work signatures: what a job variant's result depends on, hashed, so that a
 * variant whose inputs are unchanged since it last passed can be skipped.
 * The byte-exact spec is docs/work-signatures.md. Typical use:
 *
 *   const repo = await readRepoState(cwd);
 *   const { results, diagnostics } = await computeSignatures({ variants: variantsFromGraph(graph, facts), repo, env: process.env, configDir });
 *   const decisions = await decide(results, { store: createDirStore(dir), env: process.env, branch: await currentBranch(cwd, process.env) });
 *   // after a variant passed: await store.record(passManifest(result));
 */

/** BLAKE3 signatures of every variant, upstream first, with their components and empty-glob warnings. */
export { type ComputeOptions, computeSignatures } from "./compute-signatures.js";
/** The branch being built, from CI env or git. */
export { currentBranch } from "./current-branch.js";
/** Run or skip, and why, per variant. */
export { type DecideOptions, type Decision, type DecisionDetails, type DecisionReason, decide } from "./decide.js";
/** The canonical JSON of a planned job variant, as hashed. */
export { definitionJson } from "./definition-json.js";
/** Which inputs differ from a recorded pass. */
export { type ChangeDetails, type ChangeReason, diffComponents } from "./diff-components.js";
/** The local directory pass store (create-only markers). */
export { createDirStore, type DirStore } from "./dir-store.js";
/** The canonical stream and its version tag (for tools that re-derive signatures). */
export { encodeStream, SIGNATURE_TAG, type StreamParts } from "./encode-stream.js";
export { FileRecords, filesSection } from "./file-records.js";
/** CIG_FORCE parsing. */
export { type Forced, forcedIds, isForced } from "./force-list.js";
/** The git blob id of some bytes, as `git hash-object --no-filters` computes it. */
export { gitBlobId, type ObjectFormat } from "./git-blob-id.js";
/** Byte-sorted glob matching by static-prefix range scans (picomatch, `{ dot: true }`). */
export { GLOB_OPTIONS, GlobIndex, type Runs, runCount, runIndexes } from "./glob-index.js";
/** The BLAKE3 function (dynamic import of the blake3 package, loaded once). */
export { type Blake3Hex, loadBlake3 } from "./load-blake3.js";
/** What a pass marker holds, and how to make one from a signature result. */
export { type PassManifest, passManifest } from "./pass-manifest.js";
/** Pass stores: the interface, marker names, and the local directory store. */
export { isMarkerOf, MARKER_PREFIX, markerName, markerPrefix, type PassStore } from "./pass-store.js";
/** Reads tracked files and blob ids from git (re-hashing only dirty and untracked files), or walks and hashes every file outside git. */
export { type ReadRepoOptions, readRepoState } from "./read-repo-state.js";
/** The repository's files as signatures see them: sorted by path bytes, with git modes and object ids. */
export { RepoEntry, type RepoFile, type RepoState } from "./repo-state.js";
/** Error codes (CigError) and the empty-glob warning code. */
export { EMPTY_GLOB, SIGNATURE_ERROR_CODES, type SignatureErrorCode, signatureError } from "./signature-error.js";
/** The framed byte stream writer and the encoded files section. */
export { SignatureStream } from "./signature-stream.js";
/** Result types of computeSignatures. */
export type { ComputedSignatures, SignatureComponents, SignatureResult } from "./signature-types.js";
/** The signature inputs of each variant of a planned job graph. */
export { type SignatureVariant, type VariantsOptions, variantsFromGraph } from "./variants-from-graph.js";
