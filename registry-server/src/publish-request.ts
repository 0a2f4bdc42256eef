import { badRequest, tooLarge, unprocessable } from "./registry-error.js";
import { isPlatform } from "./route.js";

/** A publish body, decoded: `{"release","signature","archives":{"<platform>":"<base64>"}}`. */
export interface PublishRequest {
  /** The release document's exact bytes, as signed. */
  release: string;
  signature: string;
  /** Platform → the .tar.gz bytes. */
  archives: Map<string, Buffer>;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Parses a publish body. The shape is checked strictly (400): Buffer.from()
 * would quietly skip characters that are not base64, and an archive that
 * decodes to other bytes than were sent must not get as far as hashing.
 */
export function parsePublishRequest(body: Buffer, maxArchiveBytes: number): PublishRequest {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString("utf8"));
  } catch (err) {
    throw badRequest(`the body is not JSON: ${(err as Error).message}`);
  }
  const { release, signature, archives } = (doc ?? {}) as Record<string, unknown>;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw badRequest('the body must be a JSON object {"release","signature","archives"}');
  if (typeof release !== "string" || release === "") throw badRequest('"release" must be the release document, as a string');
  if (typeof signature !== "string" || signature === "") throw badRequest('"signature" must be a string "ed25519:<base64>"');
  if (typeof archives !== "object" || archives === null || Array.isArray(archives) || Object.keys(archives).length === 0)
    throw badRequest('"archives" must be an object {"<platform>": "<base64 of the .tar.gz>"} with at least one platform');
  const out = new Map<string, Buffer>();
  for (const [platform, data] of Object.entries(archives)) {
    if (typeof data !== "string" || data.length % 4 !== 0 || !BASE64.test(data))
      throw badRequest(`the archive of platform "${platform}" is not base64 text`);
    if (!isPlatform(platform))
      throw unprocessable("CIG_REGISTRY_RELEASE_INVALID", `"${platform}" is not a platform name (any, linux_amd64, …)`);
    const size = Buffer.byteLength(data, "base64");
    if (size > maxArchiveBytes)
      throw tooLarge(`the archive of platform "${platform}" is ${size} bytes, over the ${maxArchiveBytes}-byte limit`);
    out.set(platform, Buffer.from(data, "base64"));
  }
  return { release, signature, archives: out };
}
