import type { SigningKey } from "./release-signing.js";

/** One version as a registry lists it. */
export interface VersionSummary {
  version: string;
  protocols: number[];
  platforms: string[];
  requires: string[];
  yanked: boolean;
}

/** A version's signed release and how to fetch its archives (docs/registry.md#http-api). */
export interface VersionDocument {
  /** The release document: the exact bytes that were signed. */
  release: string;
  signature: string;
  /** The keys the registry lists for the plugin's namespace. */
  signing_keys: SigningKey[];
  yanked: boolean;
  /** Platform → archive URL. */
  downloads: Record<string, string>;
}

/**
 * Where plugin releases come from: a registry over HTTP, a filesystem mirror,
 * or a test double. Everything read from a source is verified by the caller
 * (signature, hashes), so a source needs no trust of its own.
 */
export interface PluginSource {
  /** For messages: "registry https://…", "mirror /srv/cig". */
  readonly label: string;
  /** Whether it serves signed release documents (a registry, a mirror); the lock-only offline source does not. */
  readonly signed: boolean;
  /** Every version, yanked ones included; CIG_RESOLVE_NOT_FOUND when the plugin is unknown. */
  versions(host: string, id: string): Promise<VersionSummary[]>;
  versionDocument(host: string, id: string, version: string): Promise<VersionDocument>;
  /** The archive bytes of one platform. `what` names it in progress lines and errors. */
  archive(doc: VersionDocument, host: string, id: string, version: string, platform: string): Promise<Buffer>;
}
