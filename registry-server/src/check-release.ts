import {
  type ArchiveEntry,
  addressProblem,
  archiveHash,
  decodeRelease,
  type ReleaseDocument,
  readArchive,
  type SigningKey,
  signatureKeyId,
  treeHash,
  verifyRelease,
} from "@cig/core/registry";
import { checkManifest } from "./check-manifest.js";
import type { PublishRequest } from "./publish-request.js";
import { isCigError, unprocessable } from "./registry-error.js";

/** Which release a publish is for, from its URL. */
export interface ReleaseId {
  ns: string;
  name: string;
  version: string;
}

/** A release that passed every check: safe to store and to serve. */
export interface CheckedRelease {
  doc: ReleaseDocument;
  /** The registered key whose signature verified. */
  signer: SigningKey;
}

const invalid = (message: string) => unprocessable("CIG_REGISTRY_RELEASE_INVALID", message);

/**
 * Everything docs/registry.md asks of a publish, cheapest first: the release
 * document is canonical and names the URL's release; its signature verifies
 * with a key registered for the namespace; each archive has the signed
 * sha256 and tree1, is safe to extract, and carries a module.toml that
 * agrees with the URL and the document and names an executable entrypoint.
 * Throws a 422 RegistryError naming the first problem.
 */
export async function checkRelease(id: ReleaseId, req: PublishRequest, keys: readonly SigningKey[]): Promise<CheckedRelease> {
  const fullName = `${id.ns}/${id.name}`;
  const what = `${fullName} ${id.version}`;
  let doc: ReleaseDocument;
  try {
    doc = decodeRelease(req.release, what);
  } catch (err) {
    throw isCigError(err) ? invalid(err.message) : err;
  }
  if (doc.name !== fullName) throw invalid(`the release document is for ${doc.name}, but the URL is for ${fullName}`);
  if (doc.version !== id.version) throw invalid(`the release document is for version ${doc.version}, but the URL is for ${id.version}`);
  if (doc.protocols.length === 0 || doc.protocols.some((p) => !Number.isInteger(p) || p < 1))
    throw invalid("the release document's protocols must be a non-empty list of protocol versions");
  const badRequire = doc.requires.find((r) => typeof r !== "string" || addressProblem(r));
  if (badRequire !== undefined) throw invalid(`the release document requires ${JSON.stringify(badRequire)}, which is not a plugin address`);
  const signed = Object.keys(doc.platforms).sort();
  const sent = [...req.archives.keys()].sort();
  if (signed.join() !== sent.join())
    throw invalid(`the release document lists platforms [${signed.join(", ")}], but the archives sent are [${sent.join(", ")}]`);

  const claimed = signatureKeyId(req.signature);
  if (!claimed) throw unprocessable("CIG_SIGNATURE_INVALID", `the signature of ${what} is not "ed25519:<key id>:<base64>"`);
  // The id in the signature is only a claim; it picks the message, verifyRelease() decides.
  if (!keys.some((k) => k.key_id === claimed))
    throw unprocessable("CIG_SIGNER_UNKNOWN", `${what} is signed by a key not registered for namespace ${id.ns} (${claimed})`);
  const signer = verifyRelease(req.release, req.signature, keys);
  if (!signer)
    throw unprocessable(
      "CIG_SIGNATURE_INVALID",
      `the signature of ${what} does not verify with key ${claimed}: the release document differs from what was signed`,
    );

  for (const platform of sent) {
    const gz = req.archives.get(platform) as Buffer;
    const hashes = doc.platforms[platform] as { archive: string; content: string };
    const label = `${what} (${platform})`;
    const sha = archiveHash(gz);
    if (sha !== hashes.archive) throw hashMismatch(`the archive of ${label} has ${sha}, but the release document says ${hashes.archive}`);
    let entries: ArchiveEntry[];
    try {
      entries = await readArchive(gz, label);
    } catch (err) {
      throw isCigError(err) ? unprocessable(err.code, err.message) : err;
    }
    const tree = treeHash(entries);
    if (tree !== hashes.content)
      throw hashMismatch(`the files of ${label} hash to ${tree}, but the release document says ${hashes.content}`);
    checkManifest(entries, doc, label);
  }
  return { doc, signer };
}

function hashMismatch(message: string) {
  return unprocessable("CIG_HASH_MISMATCH", message);
}
