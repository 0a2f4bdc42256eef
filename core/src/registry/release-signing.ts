import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from "node:crypto";
import { CigError } from "../errors/cig-error.js";
import { addressProblem, isExactVersion, isPlatform, isPluginId } from "./plugin-address.js";

/** The hashes of one platform's archive, as the release document lists them. */
export interface PlatformHashes {
  /** `sha256:<hex>` of the .tar.gz. */
  archive: string;
  /** `tree1:<hex>` of its files. */
  content: string;
}

/** What a signature vouches for (docs/registry.md#signatures). */
export interface ReleaseDocument {
  kind: "cig-release-v1";
  name: string;
  version: string;
  protocols: number[];
  requires: string[];
  /** Platform (`any`, `linux_amd64`, …) → hashes. */
  platforms: Record<string, PlatformHashes>;
}

/** A public key as registries list it. */
export interface SigningKey {
  /** `ed25519:<16 hex>`. */
  key_id: string;
  /** `ed25519:<base64 of the 32 raw bytes>`. */
  public_key: string;
}

/** The exact bytes that are signed: JSON with keys sorted at every level, no whitespace. */
export function encodeRelease(doc: ReleaseDocument): string {
  return canonical(doc);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/**
 * Parses a signed release document's bytes, checking its shape; a document
 * that is not in canonical form is refused, so that what a client reads is
 * exactly what was signed.
 */
export function decodeRelease(text: string, what: string): ReleaseDocument {
  const bad = (why: string) =>
    new CigError(
      "CIG_REGISTRY_BAD_RESPONSE",
      `the release document of ${what} is malformed: ${why}`,
      "The registry served a broken release; report it to its operator.",
    );
  let doc: ReleaseDocument;
  try {
    doc = JSON.parse(text) as ReleaseDocument;
  } catch {
    throw bad("not JSON");
  }
  if (doc?.kind !== "cig-release-v1") throw bad(`unknown kind ${JSON.stringify(doc?.kind)}`);
  if (typeof doc.name !== "string" || typeof doc.version !== "string") throw bad("no name or version");
  if (!Array.isArray(doc.protocols) || !Array.isArray(doc.requires) || !doc.platforms || typeof doc.platforms !== "object")
    throw bad("missing fields");
  if (doc.protocols.some((p) => !Number.isInteger(p) || p < 1)) throw bad("protocols must be positive integers");
  for (const r of doc.requires) {
    const problem = typeof r === "string" ? addressProblem(r) : "not a string";
    if (problem) throw bad(`requires ${JSON.stringify(r)}: ${problem}`);
  }
  if (!isPluginId(doc.name) || !isExactVersion(doc.version))
    throw bad(`${JSON.stringify(doc.name)} ${JSON.stringify(doc.version)} is not a plugin name and exact version`);
  for (const [p, h] of Object.entries(doc.platforms)) {
    if (!isPlatform(p)) throw bad(`platform ${JSON.stringify(p)} is not "any" or <os>_<arch>`);
    if (typeof h?.archive !== "string" || typeof h?.content !== "string") throw bad(`platform ${p} has no hashes`);
    if (!/^sha256:[0-9a-f]{64}$/.test(h.archive) || !/^tree1:[0-9a-f]{64}$/.test(h.content))
      throw bad(`platform ${p}: hashes must be sha256:<64 hex> and tree1:<64 hex>`);
  }
  if (encodeRelease(doc) !== text) throw bad("not in canonical form (sorted keys, no whitespace)");
  return doc;
}

/** The raw 32 bytes of an Ed25519 public key. */
function rawPublic(key: KeyObject): Buffer {
  const jwk = key.export({ format: "jwk" });
  return Buffer.from(jwk.x as string, "base64url");
}

/** `ed25519:` and the first 16 hex digits of sha256(raw public key). */
export function keyIdOf(publicKey: string): string {
  return `ed25519:${createHash("sha256").update(decodePublicKey(publicKey)).digest("hex").slice(0, 16)}`;
}

function decodePublicKey(text: string): Buffer {
  const m = /^ed25519:([A-Za-z0-9+/=]+)$/.exec(text.trim());
  const raw = m ? Buffer.from(m[1] as string, "base64") : undefined;
  if (!raw || raw.length !== 32)
    throw new CigError(
      "CIG_SIGNING_KEY_INVALID",
      `not an Ed25519 public key: ${text.slice(0, 60)}`,
      "Public keys look like ed25519:<base64 of 32 bytes>, as `cig keygen` prints them.",
    );
  return raw;
}

/** A fresh key pair: the private key as PKCS#8 PEM, the public key in registry form. */
export function generateSigningKey(): { privatePem: string; key: SigningKey } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const pub = `ed25519:${rawPublic(publicKey).toString("base64")}`;
  return { privatePem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(), key: { key_id: keyIdOf(pub), public_key: pub } };
}

/** The public half of a PEM private key, in registry form. */
export function publicKeyOf(privatePem: string): SigningKey {
  const pub = `ed25519:${rawPublic(createPublicKey(loadPrivate(privatePem))).toString("base64")}`;
  return { key_id: keyIdOf(pub), public_key: pub };
}

function loadPrivate(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new CigError(
      "CIG_SIGNING_KEY_INVALID",
      `the signing key cannot be read: ${(err as Error).message}`,
      "Use a key written by `cig keygen --out <file>` (PKCS#8 PEM).",
    );
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw new CigError(
      "CIG_SIGNING_KEY_INVALID",
      `the signing key is ${key.asymmetricKeyType}, not Ed25519`,
      "Create one with `cig keygen --out <file>`.",
    );
  return key;
}

/**
 * `ed25519:<key id hex>:<base64>` signature of the document's bytes. The key
 * id lets a client tell "signed by a key nobody registered" from "altered".
 */
export function signRelease(text: string, privatePem: string): string {
  const key = loadPrivate(privatePem);
  const id = keyIdOf(`ed25519:${rawPublic(createPublicKey(key)).toString("base64")}`).slice("ed25519:".length);
  return `ed25519:${id}:${sign(null, Buffer.from(text, "utf8"), key).toString("base64")}`;
}

const SIGNATURE = /^ed25519:([0-9a-f]{16}):([A-Za-z0-9+/]+={0,2})$/;

/** The id of the key a signature says it was made with (`ed25519:<16 hex>`), or undefined when malformed. */
export function signatureKeyId(signature: string): string | undefined {
  const m = SIGNATURE.exec(signature);
  return m ? `ed25519:${m[1]}` : undefined;
}

/** The key among `keys` whose signature `signature` over `text` verifies, or undefined. */
export function verifyRelease(text: string, signature: string, keys: readonly SigningKey[]): SigningKey | undefined {
  const m = SIGNATURE.exec(signature);
  if (!m) return undefined;
  const sig = Buffer.from(m[2] as string, "base64");
  for (const k of keys) {
    let raw: Buffer;
    try {
      raw = decodePublicKey(k.public_key);
    } catch {
      continue;
    }
    // The id is derived from the key itself, never taken from what the registry says it is.
    if (keyIdOf(k.public_key) !== `ed25519:${m[1]}`) continue;
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
    if (verify(null, Buffer.from(text, "utf8"), key, sig)) return { key_id: keyIdOf(k.public_key), public_key: k.public_key };
  }
  return undefined;
}
