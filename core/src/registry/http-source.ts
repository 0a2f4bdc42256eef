import { request } from "undici";
import { CigError } from "../errors/cig-error.js";
import { ARCHIVE_LIMITS } from "./archive-limits.js";
import type { PluginSource, VersionDocument, VersionSummary } from "./plugin-source.js";
import { registryBaseUrl } from "./registry-hosts.js";

/** Where progress lines go: a TTY gets a live percentage, anything else nothing. */
export interface ProgressSink {
  isTTY: boolean;
  write(text: string): void;
}

/** A registry over HTTP(S), found by `/.well-known/cig.json` discovery (docs/registry.md#http-api). */
export class HttpSource implements PluginSource {
  readonly label = "registry";
  readonly signed = true;
  private readonly prefixes = new Map<string, Promise<string>>();

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly progress?: ProgressSink,
  ) {}

  async versions(host: string, id: string): Promise<VersionSummary[]> {
    const body = await this.getJson(host, `${id}/versions`, `the versions of ${id}`, id);
    const versions = (body as { versions?: VersionSummary[] }).versions;
    if (!Array.isArray(versions)) throw badResponse(host, `the versions of ${id} are not a list`);
    const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");
    for (const v of versions as unknown[]) {
      const o = v as Partial<VersionSummary> | null;
      if (
        !o ||
        typeof o.version !== "string" ||
        !strings(o.requires) ||
        !strings(o.platforms) ||
        !Array.isArray(o.protocols) ||
        !o.protocols.every(Number.isInteger) ||
        typeof o.yanked !== "boolean"
      )
        throw badResponse(host, `the versions of ${id} hold a malformed entry: ${JSON.stringify(v).slice(0, 200)}`);
    }
    return versions;
  }

  async versionDocument(host: string, id: string, version: string): Promise<VersionDocument> {
    const doc = (await this.getJson(host, `${id}/${version}`, `${id} ${version}`, id)) as VersionDocument;
    if (typeof doc.release !== "string" || typeof doc.signature !== "string" || !Array.isArray(doc.signing_keys))
      throw badResponse(host, `the version document of ${id} ${version} lacks release, signature or signing_keys`);
    return doc;
  }

  async archive(doc: VersionDocument, host: string, id: string, version: string, platform: string): Promise<Buffer> {
    const prefix = await this.prefix(host);
    const url = doc.downloads?.[platform] ?? `${prefix}${id}/${version}/archive/${platform}.tar.gz`;
    const what = `${id} ${version} (${platform})`;
    const res = await send(host, new URL(url, prefix).href);
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw badResponse(host, `downloading ${what} answered ${res.statusCode}`);
    }
    const total = Number(res.headers["content-length"] ?? 0);
    const chunks: Buffer[] = [];
    let got = 0;
    for await (const chunk of res.body) {
      got += (chunk as Buffer).length;
      if (got > ARCHIVE_LIMITS.compressedBytes) {
        res.body.destroy();
        throw new CigError(
          "CIG_ARCHIVE_UNSAFE",
          `the archive of ${what} is larger than ${ARCHIVE_LIMITS.compressedBytes} bytes`,
          "Tell the registry's operator; cig refuses archives that large.",
        );
      }
      chunks.push(chunk as Buffer);
      if (this.progress?.isTTY)
        this.progress.write(
          `\r  downloading ${what} ${total ? `${Math.floor((got / total) * 100)}%` : `${(got / 1e6).toFixed(1)} MB`}\x1b[K`,
        );
    }
    if (this.progress?.isTTY) this.progress.write("\r\x1b[K");
    return Buffer.concat(chunks);
  }

  /**
   * An authenticated write (publish, yank); CIG_REGISTRY_REJECTED with the
   * status, the registry's reason and what to do about it otherwise.
   */
  async write(host: string, method: "PUT" | "POST", path: string, body: string | undefined, token: string): Promise<unknown> {
    const url = `${await this.prefix(host)}${path}`;
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        ...(body !== undefined ? { body } : {}),
        headersTimeout: 120_000,
        bodyTimeout: 120_000,
      });
    } catch (err) {
      throw new CigError(
        "CIG_REGISTRY_UNREACHABLE",
        `the registry ${host} did not answer (${url}): ${(err as Error).message}`,
        "Check the network and the host (CIG_REGISTRY_HOSTS maps hosts to URLs).",
      );
    }
    const text = await res.body.text();
    let parsed: { error?: { code?: string; message?: string } } | undefined;
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      parsed = undefined;
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return parsed;
    const reason = parsed?.error?.message ?? text.slice(0, 300);
    const hints: Record<number, string> = {
      401: "Set CIG_REGISTRY_TOKEN (or --token) to the token the registry's operator issued for this namespace.",
      403: "This token belongs to another namespace: use the token issued for this one.",
      409: "Versions are immutable: raise the version in module.toml and publish again (or yank the old one).",
      413: "The plugin is too large for this registry; leave build leftovers out of the directory.",
      422: "Fix what the registry names, then publish again.",
    };
    throw new CigError(
      "CIG_REGISTRY_REJECTED",
      `${host} refused ${method} ${path}: ${res.statusCode} ${reason}`,
      hints[res.statusCode] ?? "See the registry's reason above.",
    );
  }

  /** The plugins API prefix of a host, discovered once per run. */
  private prefix(host: string): Promise<string> {
    let p = this.prefixes.get(host);
    if (!p) {
      p = (async () => {
        const base = registryBaseUrl(host, this.env);
        const res = await send(host, `${base}/.well-known/cig.json`);
        const text = await res.body.text();
        let found: unknown;
        try {
          found = res.statusCode === 200 ? (JSON.parse(text) as Record<string, unknown>)["plugins.v1"] : undefined;
        } catch {
          found = undefined;
        }
        if (typeof found !== "string")
          throw badResponse(host, `${base}/.well-known/cig.json answered ${res.statusCode} without "plugins.v1": is it a cig registry?`);
        const url = new URL(found, `${base}/`).href;
        return url.endsWith("/") ? url : `${url}/`;
      })();
      this.prefixes.set(host, p);
    }
    return p;
  }

  private async getJson(host: string, path: string, what: string, id: string): Promise<unknown> {
    const prefix = await this.prefix(host);
    const res = await send(host, `${prefix}${path}`);
    const text = await res.body.text();
    if (res.statusCode === 404)
      throw new CigError(
        "CIG_RESOLVE_NOT_FOUND",
        `${what} is not in the registry ${host}`,
        `Check the name "${id}" and its registry (an address may name one: host/${id}).`,
      );
    if (res.statusCode !== 200) throw badResponse(host, `${what} answered ${res.statusCode}: ${text.slice(0, 200)}`);
    try {
      return JSON.parse(text);
    } catch {
      throw badResponse(host, `${what} is not JSON`);
    }
  }
}

async function send(host: string, url: string) {
  try {
    return await request(url, { headersTimeout: 30_000, bodyTimeout: 60_000 });
  } catch (err) {
    throw new CigError(
      "CIG_REGISTRY_UNREACHABLE",
      `the registry ${host} did not answer (${url}): ${(err as Error).message}`,
      "Check the network and the host (CIG_REGISTRY_HOSTS maps hosts to URLs), or run `cig sync --offline` with a cache or CIG_PLUGIN_MIRROR.",
    );
  }
}

function badResponse(host: string, what: string): CigError {
  return new CigError("CIG_REGISTRY_BAD_RESPONSE", `registry ${host}: ${what}`, "Report it to the registry's operator.");
}
