import { CigError } from "../errors/cig-error.js";
import { DEFAULT_REGISTRY_HOST } from "./plugin-address.js";

/** The host a plugin without a host in its address comes from: `$CIG_REGISTRY` or registry.cig.dev. */
export function defaultRegistryHost(env: NodeJS.ProcessEnv = process.env): string {
  return (env.CIG_REGISTRY ?? "").trim().toLowerCase() || DEFAULT_REGISTRY_HOST;
}

/**
 * The base URL of a registry host: `https://<host>`, unless
 * `CIG_REGISTRY_HOSTS="host=url,…"` maps it elsewhere (a mirror, or a local
 * server in tests). The lock keeps the host, never the URL.
 */
export function registryBaseUrl(host: string, env: NodeJS.ProcessEnv = process.env): string {
  for (const pair of (env.CIG_REGISTRY_HOSTS ?? "").split(",")) {
    const eq = pair.indexOf("=");
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim().toLowerCase() !== host) continue;
    const url = pair
      .slice(eq + 1)
      .trim()
      .replace(/\/+$/, "");
    if (!/^https?:\/\/[^/]/.test(url))
      throw new CigError(
        "CIG_USAGE",
        `CIG_REGISTRY_HOSTS maps ${host} to "${url}", which is not an http(s) URL`,
        'Write it as CIG_REGISTRY_HOSTS="host=https://mirror.example.com".',
      );
    return url;
  }
  return `https://${host}`;
}
