import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { addressProblem, keyIdOf, type SigningKey } from "@cig/core/registry";
import type { DataDir } from "./data-dir.js";
import { RegistryError } from "./registry-error.js";

/** `namespaces/<ns>.json`: who may publish, and with which keys releases must be signed. */
export interface Namespace {
  keys: SigningKey[];
  /** `sha256:<hex>` of each token: a copy of the data directory does not hand out publish rights. */
  tokens: string[];
}

/** The stored form of a bearer token. */
export function tokenHash(token: string): string {
  return `sha256:${createHash("sha256").update(token, "utf8").digest("hex")}`;
}

/** A new publish token: 256 random bits, prefixed so that secret scanners can spot a leaked one. */
export function newToken(): string {
  return `cigr_${randomBytes(32).toString("base64url")}`;
}

/** Why `ns` cannot be a namespace, or undefined. */
export function namespaceProblem(ns: string): string | undefined {
  return ns.includes("/") || ns.includes("@") ? `namespace "${ns}" must be lower-case letters, digits and "-"` : addressProblem(`${ns}/x`);
}

/** Reads namespaces fresh on every call, so that `cig-registry namespace …` takes effect without a restart. */
export class NamespaceStore {
  constructor(private readonly data: DataDir) {}

  async get(ns: string): Promise<Namespace | undefined> {
    let text: string;
    try {
      text = await readFile(this.data.namespaceFile(ns), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    try {
      const doc = JSON.parse(text) as Namespace;
      if (!Array.isArray(doc.keys) || !Array.isArray(doc.tokens)) throw new Error("keys or tokens is not a list");
      // Ids are derived from the keys, never trusted from the file: a hand edit cannot make them disagree.
      const keys = doc.keys.map((k) => ({ key_id: keyIdOf(k.public_key), public_key: k.public_key }));
      return { keys, tokens: doc.tokens.filter((t) => typeof t === "string") };
    } catch (err) {
      throw new RegistryError(
        500,
        "CIG_REGISTRY_DATA_INVALID",
        `${this.data.namespaceFile(ns)} is not a namespace file: ${(err as Error).message}`,
        "Re-create it with `cig-registry namespace add`.",
      );
    }
  }

  async save(ns: string, doc: Namespace): Promise<void> {
    await this.data.replaceFile(this.data.namespaceFile(ns), `${JSON.stringify(doc, null, 2)}\n`);
  }

  /**
   * Checks an `Authorization` header for a write to `ns`: 401 without a known
   * token, 403 for a token of another namespace.
   */
  async authorise(ns: string, header: string | undefined): Promise<void> {
    const token = /^Bearer +(\S+) *$/i.exec(header ?? "")?.[1];
    if (!token) throw unauthorised("this needs a token: send `Authorization: Bearer <token>`");
    const hash = tokenHash(token);
    if ((await this.get(ns))?.tokens.includes(hash)) return;
    for (const file of await readdir(this.data.namespaces)) {
      if (!file.endsWith(".json")) continue;
      const other = file.slice(0, -".json".length);
      if (other !== ns && (await this.get(other))?.tokens.includes(hash))
        throw new RegistryError(403, "CIG_REGISTRY_FORBIDDEN", `the token is for namespace "${other}", not "${ns}"`);
    }
    throw unauthorised("the token is not known to this registry");
  }

  /**
   * Creates `ns` or adds to it: registers `publicKey` (when given and new) and,
   * when `token` is set, a new token, which is returned; only its hash is kept.
   */
  async update(
    ns: string,
    change: { publicKey?: string; token?: boolean; revokeTokens?: boolean },
  ): Promise<{ token?: string; key?: SigningKey }> {
    const problem = namespaceProblem(ns);
    if (problem) throw new RegistryError(400, "CIG_REGISTRY_BAD_REQUEST", problem, "Namespaces are like acme or my-team.");
    const doc = (await this.get(ns)) ?? { keys: [], tokens: [] };
    let key: SigningKey | undefined;
    if (change.publicKey !== undefined) {
      const publicKey = change.publicKey.trim();
      key = { key_id: keyIdOf(publicKey), public_key: publicKey };
      if (!doc.keys.some((k) => k.key_id === key?.key_id)) doc.keys.push(key);
    }
    if (change.revokeTokens) doc.tokens = [];
    const token = change.token ? newToken() : undefined;
    if (token) doc.tokens.push(tokenHash(token));
    await this.save(ns, doc);
    return { ...(token ? { token } : {}), ...(key ? { key } : {}) };
  }
}

function unauthorised(message: string): RegistryError {
  return new RegistryError(401, "CIG_REGISTRY_UNAUTHORIZED", message, "Ask the registry's operator for a token of your namespace.", {
    "www-authenticate": 'Bearer realm="cig-registry"',
  });
}
