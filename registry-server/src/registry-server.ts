import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ARCHIVE_LIMITS } from "@cig/core/registry";
import { DataDir } from "./data-dir.js";
import { getArchive, getVersion, type HandlerContext, listVersions, publish, yank } from "./handlers.js";
import { NamespaceStore } from "./namespace-store.js";
import { RegistryError } from "./registry-error.js";
import { respondError, sendJson } from "./respond.js";
import { PLUGINS_PREFIX, parseRoute, type Route } from "./route.js";
import { VersionStore } from "./version-store.js";

/** Options of {@link createRegistryServer}. */
export interface RegistryServerOptions {
  /** The data directory (created when missing). One server per directory. */
  dataDir: string;
  /** Public URL of the registry (`https://registry.example.com`); default: from each request's Host header. */
  baseUrl?: string;
  /** No request log (failures are still logged). */
  quiet?: boolean;
  /** Where the request log and failures go (default stderr). */
  log?: (line: string) => void;
  /** Largest publish body; default 200 MiB. */
  maxBodyBytes?: number;
  /** Largest archive of one platform; default ARCHIVE_LIMITS.compressedBytes (64 MiB). */
  maxArchiveBytes?: number;
}

/** A registry server: not listening until {@link RegistryServer.listen}. */
export interface RegistryServer {
  /** Prepares the data directory (sweeping tmp/), then listens; port 0 picks a free port. */
  listen(port?: number, host?: string): Promise<{ url: string }>;
  /** Stops accepting, lets requests in flight finish for up to `graceMs`, then cuts the rest. */
  close(graceMs?: number): Promise<void>;
  readonly http: Server;
}

/**
 * Base64 grows an archive by 4/3: two full-size platforms and the JSON
 * around them. More would let one request hold too much memory while checked.
 */
export const DEFAULT_MAX_BODY_BYTES = 200 * 1024 * 1024;

/** A registry over `node:http` speaking docs/registry.md#http-api. */
export function createRegistryServer(opts: RegistryServerOptions): RegistryServer {
  const data = new DataDir(opts.dataDir);
  // Failures are logged even when quiet: only the one-line-per-request log is optional.
  const errorLog = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log = opts.quiet ? () => {} : errorLog;
  let listenUrl = "http://localhost";
  const ctx: HandlerContext = {
    data,
    namespaces: new NamespaceStore(data),
    versions: new VersionStore(data),
    limits: {
      bodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      archiveBytes: opts.maxArchiveBytes ?? ARCHIVE_LIMITS.compressedBytes,
    },
    baseUrl: () => {
      // Without --base-url, archive links are paths on this server: a client resolves them against
      // the URL it asked, so a forged Host header cannot point anybody elsewhere.
      return opts.baseUrl ? opts.baseUrl.replace(/\/+$/, "") : "";
    },
  };

  const http = createServer((req, res) => {
    const started = performance.now();
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    res.on("close", () => log(`${req.method} ${path} ${res.statusCode} ${Math.round(performance.now() - started)}ms`));
    handle(ctx, req, res, path).catch((err: unknown) => respondError(req, res, err, errorLog));
  });

  return {
    http,
    async listen(port = 8080, host = "127.0.0.1") {
      await data.prepare();
      await new Promise<void>((resolve, reject) => {
        http.once("error", reject);
        http.listen(port, host, () => {
          http.off("error", reject);
          resolve();
        });
      });
      const addr = http.address() as AddressInfo;
      listenUrl = `http://${addr.family === "IPv6" ? `[${addr.address}]` : addr.address}:${addr.port}`;
      return { url: listenUrl };
    },
    close(graceMs = 5000) {
      return new Promise<void>((resolve) => {
        if (!http.listening) return resolve();
        http.close(() => resolve());
        http.closeIdleConnections();
        setTimeout(() => http.closeAllConnections(), graceMs).unref();
      });
    },
  };
}

async function handle(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const route = parseRoute(path);
  const method = req.method === "HEAD" ? "GET" : (req.method ?? "");
  const allowed = methodsOf(route);
  if (!allowed.includes(method))
    throw new RegistryError(405, "CIG_REGISTRY_METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${path}`, "", {
      allow: allowed.join(", "),
    });
  switch (route.kind) {
    case "discovery":
      return sendJson(res, 200, { "plugins.v1": PLUGINS_PREFIX });
    case "versions":
      return listVersions(ctx, res, route.ns, route.name);
    case "version":
      return method === "PUT" ? publish(ctx, req, res, route) : getVersion(ctx, req, res, route);
    case "archive":
      return getArchive(ctx, req, res, route, route.platform);
    case "yank":
      return yank(ctx, req, res, route);
  }
}

function methodsOf(route: Route): string[] {
  if (route.kind === "version") return ["GET", "PUT"];
  return route.kind === "yank" ? ["POST"] : ["GET"];
}
