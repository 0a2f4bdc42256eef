import { createReadStream } from "node:fs";
import { mkdir, readFile, rm, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { checkRelease, type ReleaseId } from "./check-release.js";
import type { DataDir } from "./data-dir.js";
import type { NamespaceStore } from "./namespace-store.js";
import { parsePublishRequest } from "./publish-request.js";
import { spoolBody } from "./read-body.js";
import { notFound, versionExists } from "./registry-error.js";
import { sendJson } from "./respond.js";
import { PLUGINS_PREFIX } from "./route.js";
import type { VersionStore } from "./version-store.js";

/** What the endpoints share: storage, limits and the public base URL. */
export interface HandlerContext {
  data: DataDir;
  namespaces: NamespaceStore;
  versions: VersionStore;
  limits: { bodyBytes: number; archiveBytes: number };
  /** The base URL of archive links, without a trailing slash, for this request. */
  baseUrl(req: IncomingMessage): string;
}

const pathOf = (id: ReleaseId) => `${PLUGINS_PREFIX}${id.ns}/${id.name}/${id.version}`;
const label = (id: ReleaseId) => `${id.ns}/${id.name} ${id.version}`;
// A yanked flag changes; clients and proxies must ask again.
const NO_CACHE = { "cache-control": "no-cache" };

export async function listVersions(ctx: HandlerContext, res: ServerResponse, ns: string, name: string): Promise<void> {
  const versions = await ctx.versions.list(ns, name);
  if (!versions) throw notFound(`no plugin ${ns}/${name} is published here`);
  sendJson(res, 200, { versions }, NO_CACHE);
}

export async function getVersion(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, id: ReleaseId): Promise<void> {
  const stored = await ctx.versions.read(id);
  if (!stored) throw notFound(`no version ${label(id)} is published here`);
  const keys = (await ctx.namespaces.get(id.ns))?.keys ?? [];
  const base = `${ctx.baseUrl(req)}${pathOf(id)}/archive/`;
  const downloads = Object.fromEntries(
    Object.keys(stored.doc.platforms)
      .sort()
      .map((p) => [p, `${base}${p}.tar.gz`]),
  );
  sendJson(
    res,
    200,
    { release: stored.release, signature: stored.signature, signing_keys: keys, yanked: stored.yanked, downloads },
    NO_CACHE,
  );
}

export async function getArchive(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  id: ReleaseId,
  platform: string,
): Promise<void> {
  const stored = await ctx.versions.read(id);
  if (!stored?.doc.platforms[platform]) throw notFound(`${label(id)} has no archive for platform ${platform}`);
  const file = ctx.versions.archivePath(id, platform);
  const { size } = await stat(file);
  // Published archives never change: any cache may keep them.
  res.writeHead(200, {
    "content-type": "application/gzip",
    "content-length": size,
    "cache-control": "public, max-age=31536000, immutable",
  });
  if (req.method === "HEAD") return void res.end();
  await pipeline(createReadStream(file), res);
}

/**
 * PUT: checks the token and that the version is free before reading the
 * body, then spools, parses and checks it, and commits it atomically.
 */
export async function publish(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, id: ReleaseId): Promise<void> {
  await ctx.namespaces.authorise(id.ns, req.headers.authorization);
  if (await ctx.versions.read(id)) throw versionExists(`${id.ns}/${id.name}`, id.version);
  const work = ctx.data.tmpPath();
  await mkdir(work);
  try {
    await spoolBody(req, join(work, "upload.json"), ctx.limits.bodyBytes);
    const request = parsePublishRequest(await readFile(join(work, "upload.json")), ctx.limits.archiveBytes);
    const keys = (await ctx.namespaces.get(id.ns))?.keys ?? [];
    const { doc, signer } = await checkRelease(id, request, keys);
    await ctx.versions.commit(id, request, join(work, "version"));
    const platforms = Object.keys(doc.platforms).sort();
    sendJson(res, 201, { name: doc.name, version: doc.version, platforms, signer: signer.key_id }, { location: pathOf(id) });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** POST …/yank: idempotent; the version stays downloadable. */
export async function yank(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, id: ReleaseId): Promise<void> {
  await ctx.namespaces.authorise(id.ns, req.headers.authorization);
  if (!(await ctx.versions.yank(id))) throw notFound(`no version ${label(id)} is published here`);
  sendJson(res, 200, { name: `${id.ns}/${id.name}`, version: id.version, yanked: true });
}
