import semver from "semver";
import { CigError } from "../errors/cig-error.js";

/** The registry used for addresses without a host (docs/registry.md#registries). */
export const DEFAULT_REGISTRY_HOST = "registry.cig.dev";

const PART = /^[a-z0-9][a-z0-9-]*$/;
const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/i;

const PLATFORM = /^(any|[a-z0-9]+_[a-z0-9]+)$/;
// Known hash schemes have a fixed form; others are kept but may only hold harmless characters.
const KNOWN_HASH = /^(sha256|tree1):[0-9a-f]{64}$/;
const OTHER_HASH = /^[a-z0-9]+:[A-Za-z0-9+/=._-]{1,512}$/;

/** A registry host name with an optional port (no path, no "..", nothing to escape a directory with). */
export function isHost(text: string): boolean {
  return HOST.test(text) && !text.includes("..");
}

/** `namespace/name` in lower case. */
export function isPluginId(text: string): boolean {
  const parts = text.split("/");
  return parts.length === 2 && parts.every((p) => PART.test(p));
}

/** `any` or `<os>_<arch>`. */
export function isPlatform(text: string): boolean {
  return PLATFORM.test(text);
}

/** A published version: plain semver, no build metadata. */
export function isExactVersion(text: string): boolean {
  return semver.valid(text) === text && !text.includes("+");
}

/** A `scheme:value` hash as locks and release documents hold them: known schemes exactly, others restricted. */
export function isHashText(text: string): boolean {
  return /^(sha256|tree1):/.test(text) ? KNOWN_HASH.test(text) : OTHER_HASH.test(text);
}

/** `[host/]namespace/name[@constraint]`, parsed. */
export interface PluginAddress {
  /** The registry host named in the address, if any. */
  host?: string;
  namespace: string;
  name: string;
  /** `namespace/name`: the plugin's identity, also its key in cig.toml and cig.lock. */
  id: string;
  /** The semver range; `*` when the address has none. */
  constraint: string;
}

/** Why a piece of text is not an address, or undefined when it is one. */
export function addressProblem(text: string): string | undefined {
  const at = text.indexOf("@");
  const path = at < 0 ? text : text.slice(0, at);
  const range = at < 0 ? undefined : text.slice(at + 1);
  const parts = path.split("/");
  if (parts.length < 2 || parts.length > 3) return "expected namespace/name, optionally host/namespace/name";
  const [ns, name] = parts.slice(-2) as [string, string];
  if (parts.length === 3 && !isHost(parts[0] as string)) return `"${parts[0]}" is not a host name`;
  if (!PART.test(ns)) return `namespace "${ns}" must be lower-case letters, digits and "-"`;
  if (!PART.test(name)) return `name "${name}" must be lower-case letters, digits and "-"`;
  if (range !== undefined && (range.trim() === "" || semver.validRange(range) === null))
    return `"${range}" is not a semver range (e.g. "~1.2", "^2.0", ">=1.1", "1.2.3")`;
  return undefined;
}

/**
 * Parses an address as written in cig.toml or on the command line.
 * Throws CIG_PLUGIN_ADDRESS_INVALID saying which part is wrong.
 */
export function parsePluginAddress(text: string, where = "plugin address"): PluginAddress {
  const problem = addressProblem(text);
  if (problem) {
    throw new CigError(
      "CIG_PLUGIN_ADDRESS_INVALID",
      `${where} "${text}" is not valid: ${problem}`,
      'Write it as namespace/name@range, e.g. "lang/ruby@~1.2" or "registry.example.com/acme/deploy@^2".',
    );
  }
  const at = text.indexOf("@");
  const parts = (at < 0 ? text : text.slice(0, at)).split("/");
  const [namespace, name] = parts.slice(-2) as [string, string];
  return {
    ...(parts.length === 3 ? { host: (parts[0] as string).toLowerCase() } : {}),
    namespace,
    name,
    id: `${namespace}/${name}`,
    constraint: at < 0 ? "*" : text.slice(at + 1).trim(),
  };
}

/** Is `range` a semver range `semver` understands? */
export function isValidRange(range: string): boolean {
  return range.trim() !== "" && semver.validRange(range) !== null;
}
