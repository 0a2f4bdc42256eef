import { parse, TomlError } from "smol-toml";
import { CigError } from "../errors/cig-error.js";
import { isExactVersion, isHashText, isHost, isPlatform, isPluginId } from "./plugin-address.js";
import type { PlatformHashes } from "./release-signing.js";

/** The lock's file name, beside cig.toml. */
export const LOCK_FILE = "cig.lock";
const SCHEMA_VERSION = "1";
const HEADER = "# cig.lock — written by `cig sync`. Do not edit: change cig.toml and run `cig sync`.\n";

/** One plugin from a registry, as locked. */
export interface LockedRegistryPlugin {
  source: "registry";
  version: string;
  /** Registry host (`registry.cig.dev`). */
  host: string;
  /** The ranges that asked for it, sorted: for people reading the lock. */
  constraints: string[];
  protocols: number[];
  /** Key id of the release signature. */
  signer: string;
  /** Platform → hashes, each a list of `scheme:hex` (unknown schemes kept). */
  platforms: Record<string, { archive: string[]; content: string[] }>;
}

/** A std plugin shipped with the core. */
export interface LockedBuiltinPlugin {
  source: "builtin";
  version: string;
}

export type LockedPlugin = LockedRegistryPlugin | LockedBuiltinPlugin;

/** A parsed cig.lock (docs/registry.md#ciglock). */
export interface LockFile {
  core: { version: string; protocol: number };
  plugins: Record<string, LockedPlugin>;
  resolvedVersions: Record<string, string>;
}

/** The first hash with a known scheme, or undefined. */
export function knownHash(hashes: readonly string[], scheme: string): string | undefined {
  return hashes.find((h) => h.startsWith(`${scheme}:`));
}

/** Platform hashes as the lock stores them. */
export function lockHashes(h: PlatformHashes): { archive: string[]; content: string[] } {
  return { archive: [h.archive], content: [h.content] };
}

/** Reads cig.lock's text; CIG_LOCK_INVALID with the line and the problem otherwise. */
export function parseLockFile(text: string, file: string): LockFile {
  const invalid = (what: string, line?: number) =>
    new CigError(
      "CIG_LOCK_INVALID",
      `${file} is not a valid lock file: ${what}`,
      "Restore cig.lock from version control, or delete it and run `cig sync`.",
      {
        location: `${file}:${line ?? 1}:1`,
      },
    );
  let data: Record<string, unknown>;
  try {
    data = parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) throw invalid((err.message.split("\n")[0] ?? "").replace(/^Invalid TOML document:\s*/, ""), err.line);
    throw err;
  }
  if (data.schema_version !== SCHEMA_VERSION)
    throw invalid(`schema_version ${JSON.stringify(data.schema_version)} is not "${SCHEMA_VERSION}" (written by another cig version?)`);
  const lineOf = (needle: string) => {
    const i = text.indexOf(needle);
    return i < 0 ? 1 : text.slice(0, i).split("\n").length;
  };
  const core = data.core as { version?: unknown; protocol?: unknown } | undefined;
  if (typeof core?.version !== "string" || typeof core.protocol !== "number")
    throw invalid("[core] needs version and protocol", lineOf("[core]"));
  const plugins: Record<string, LockedPlugin> = {};
  for (const [id, raw] of Object.entries((data.plugins ?? {}) as Record<string, Record<string, unknown>>)) {
    const at = lineOf(`[plugins."${id}"]`);
    const bad = (what: string) => invalid(`plugin ${id}: ${what}`, at);
    if (!isPluginId(id)) throw bad("the name is not namespace/name in lower case");
    if (typeof raw.version !== "string" || !isExactVersion(raw.version))
      throw bad(`version ${JSON.stringify(raw.version)} is not an exact semver version`);
    if (raw.source === "builtin") {
      plugins[id] = { source: "builtin", version: raw.version };
      continue;
    }
    const source = typeof raw.source === "string" ? raw.source : "";
    const host = source.endsWith(`/${id}`) ? source.slice(0, -id.length - 1) : "";
    if (!host || !isHost(host)) throw bad(`source ${JSON.stringify(raw.source)} is not "builtin" or "<host>/${id}"`);
    const strings = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : undefined);
    const platforms: LockedRegistryPlugin["platforms"] = {};
    for (const [p, h] of Object.entries((raw.platforms ?? {}) as Record<string, Record<string, unknown>>)) {
      const archive = strings(h.archive);
      const content = strings(h.content);
      if (!isPlatform(p)) throw bad(`platform ${JSON.stringify(p)} is not "any" or <os>_<arch>`);
      if (!archive || !content) throw bad(`platform ${p} needs archive and content hash lists`);
      const wrong = [...archive, ...content].find((h) => !isHashText(h));
      if (wrong !== undefined)
        throw bad(
          `platform ${p}: ${JSON.stringify(wrong.slice(0, 80))} is not a hash (sha256:<64 hex>, tree1:<64 hex>, or <scheme>:<value>)`,
        );
      platforms[p] = { archive, content };
    }
    if (Object.keys(platforms).length === 0) throw bad("no platforms");
    if (typeof raw.signer !== "string" || !/^ed25519:[0-9a-f]{16}$/.test(raw.signer))
      throw bad(`signer ${JSON.stringify(raw.signer)} is not a key id (ed25519:<16 hex>)`);
    plugins[id] = {
      source: "registry",
      version: raw.version,
      host,
      constraints: strings(raw.constraints) ?? [],
      protocols: Array.isArray(raw.protocols) ? (raw.protocols as number[]) : [1],
      signer: raw.signer,
      platforms,
    };
  }
  const resolvedVersions: Record<string, string> = {};
  for (const [k, v] of Object.entries((data.resolved_versions ?? {}) as Record<string, unknown>))
    if (typeof v === "string") resolvedVersions[k] = v;
  return { core: { version: core.version, protocol: core.protocol }, plugins, resolvedVersions };
}

const q = (s: string) => JSON.stringify(s);
const list = (xs: readonly (string | number)[]) => `[${xs.map((x) => (typeof x === "number" ? String(x) : q(x))).join(", ")}]`;
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The lock's text: sorted tables, no timestamps, the same bytes for the same lock on every OS. */
export function formatLockFile(lock: LockFile): string {
  let out = `${HEADER}schema_version = ${q(SCHEMA_VERSION)}\n\n[core]\nversion = ${q(lock.core.version)}\nprotocol = ${lock.core.protocol}\n`;
  for (const id of Object.keys(lock.plugins).sort(byteOrder)) {
    const p = lock.plugins[id] as LockedPlugin;
    out += `\n[plugins.${q(id)}]\nversion = ${q(p.version)}\n`;
    if (p.source === "builtin") {
      out += 'source = "builtin"\n';
      continue;
    }
    out += `source = ${q(`${p.host}/${id}`)}\nconstraints = ${list([...p.constraints].sort(byteOrder))}\nprotocols = ${list(p.protocols)}\nsigner = ${q(p.signer)}\n`;
    for (const platform of Object.keys(p.platforms).sort(byteOrder)) {
      const h = p.platforms[platform] as { archive: string[]; content: string[] };
      out += `\n[plugins.${q(id)}.platforms.${q(platform)}]\narchive = ${list(h.archive)}\ncontent = ${list(h.content)}\n`;
    }
  }
  const tools = Object.keys(lock.resolvedVersions).sort(byteOrder);
  if (tools.length > 0) {
    out += "\n[resolved_versions]\n";
    for (const t of tools) out += `${/^[A-Za-z0-9_-]+$/.test(t) ? t : q(t)} = ${q(lock.resolvedVersions[t] as string)}\n`;
  }
  return out;
}
