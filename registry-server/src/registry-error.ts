import type { CigError } from "@cig/core";

/**
 * A refusal with an HTTP status, a stable code and a message, answered as
 * `{"error":{"code","message"}}` (docs/registry.md#http-api). The CLI prints
 * the same fields with the hint.
 */
export class RegistryError extends Error {
  override readonly name = "RegistryError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint = "",
    /** Headers the answer needs (`allow` on 405, `www-authenticate` on 401). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Is `err` a CigError thrown by the @cig/core/registry primitives? Checked by
 * shape, not `instanceof`: importing the class from `@cig/core` would load the
 * whole plugin host (gRPC and all) into a server that never starts a plugin.
 */
export function isCigError(err: unknown): err is CigError {
  return err instanceof Error && err.name === "CigError" && typeof (err as { code?: unknown }).code === "string";
}

/** 400: the request is not the protocol (bad JSON, bad path segment). */
export const badRequest = (message: string) => new RegistryError(400, "CIG_REGISTRY_BAD_REQUEST", message);

/** 404. */
export const notFound = (message: string) => new RegistryError(404, "CIG_REGISTRY_NOT_FOUND", message);

/** 413: the body or one archive is over a limit. */
export const tooLarge = (message: string) => new RegistryError(413, "CIG_REGISTRY_TOO_LARGE", message);

/** 422: well-formed, but the release does not hold together (hashes, signature, manifest). */
export const unprocessable = (code: string, message: string) => new RegistryError(422, code, message);

/** 409: versions are immutable. */
export const versionExists = (id: string, version: string) =>
  new RegistryError(409, "CIG_REGISTRY_VERSION_EXISTS", `${id} ${version} is already published; versions are immutable`);
