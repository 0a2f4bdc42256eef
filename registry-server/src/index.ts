/**
 * @cig/registry-server: a small HTTP registry of signed, immutable cig plugin
 * releases, speaking docs/registry.md#http-api. `cig-registry` is its CLI.
 */
export type { CheckedRelease, ReleaseId } from "./check-release.js";
export { checkRelease } from "./check-release.js";
export { type CliIo, main } from "./cli.js";
export { DataDir } from "./data-dir.js";
export type { Namespace } from "./namespace-store.js";
export { NamespaceStore, newToken, tokenHash } from "./namespace-store.js";
export type { PublishRequest } from "./publish-request.js";
export { parsePublishRequest } from "./publish-request.js";
export { RegistryError } from "./registry-error.js";
export type { RegistryServer, RegistryServerOptions } from "./registry-server.js";
export { createRegistryServer, DEFAULT_MAX_BODY_BYTES } from "./registry-server.js";
export { isPlatform, PLUGINS_PREFIX, parseRoute, type Route } from "./route.js";
export type { StoredVersion, VersionSummary } from "./version-store.js";
export { VersionStore } from "./version-store.js";
