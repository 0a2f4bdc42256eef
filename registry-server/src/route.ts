import { addressProblem } from "@cig/core/registry";
import semver from "semver";
import { badRequest, notFound } from "./registry-error.js";

/** Where the plugin API lives, as discovery announces it. */
export const PLUGINS_PREFIX = "/v1/plugins/";

/** `any` or `<os>_<arch>` (`linux_amd64`): also the archive's file name, so never a path. */
const PLATFORM = /^(any|[a-z0-9]+_[a-z0-9]+)$/;

/** Is `name` a platform name a release may use? */
export function isPlatform(name: string): boolean {
  return PLATFORM.test(name);
}

/** A request path, understood. Every segment is checked before it goes near the filesystem. */
export type Route =
  | { kind: "discovery" }
  | { kind: "versions"; ns: string; name: string }
  | { kind: "version"; ns: string; name: string; version: string }
  | { kind: "archive"; ns: string; name: string; version: string; platform: string }
  | { kind: "yank"; ns: string; name: string; version: string };

/**
 * Parses a request path (without its query). Unknown shapes are 404; known
 * shapes with a bad namespace, name, version or platform are 400, so that a
 * client learns it spelled something wrong rather than that it is missing.
 */
export function parseRoute(pathname: string): Route {
  if (pathname === "/.well-known/cig.json") return { kind: "discovery" };
  if (!pathname.startsWith(PLUGINS_PREFIX)) throw notFound(`no such endpoint: ${pathname}`);
  const raw = pathname.slice(PLUGINS_PREFIX.length).split("/");
  let parts: string[];
  try {
    parts = raw.map((s) => decodeURIComponent(s));
  } catch {
    throw badRequest(`the path ${pathname} is not valid percent-encoding`);
  }
  const [ns = "", name = "", third, ...rest] = parts;
  if (third === undefined || rest.length > 2) throw notFound(`no such endpoint: ${pathname}`);
  // A decoded "%2F" or "@" would make addressProblem read a host or a range: refuse them outright.
  const problem = /[/@]/.test(ns + name) ? "a segment has a / or @" : addressProblem(`${ns}/${name}`);
  if (problem) throw badRequest(`"${ns}/${name}" is not a plugin name: ${problem}`);
  if (third === "versions" && rest.length === 0) return { kind: "versions", ns, name };
  const version = third;
  // semver.valid() drops build metadata, so `1.0.0+x` is refused too, as module.toml refuses it.
  if (semver.valid(version) !== version) throw badRequest(`"${version}" is not an exact semver version like 1.2.3`);
  if (rest.length === 0) return { kind: "version", ns, name, version };
  if (rest.length === 1 && rest[0] === "yank") return { kind: "yank", ns, name, version };
  const file = rest[1] ?? "";
  if (rest.length === 2 && rest[0] === "archive" && file.endsWith(".tar.gz")) {
    const platform = file.slice(0, -".tar.gz".length);
    if (!isPlatform(platform)) throw badRequest(`"${platform}" is not a platform name (any, linux_amd64, …)`);
    return { kind: "archive", ns, name, version, platform };
  }
  throw notFound(`no such endpoint: ${pathname}`);
}
