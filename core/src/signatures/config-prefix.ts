import { realpathSync } from "node:fs";
import { isAbsolute, posix, relative, sep } from "node:path";
import { signatureError } from "./signature-error.js";

/**
 * The directory of cig.toml relative to the repository root, with "/" and
 * no trailing slash ("" at the root): globs in cig.toml are relative to it.
 * `configDir` may be absolute or already repo-relative.
 */
export function configPrefix(root: string, configDir: string): string {
  let rel = configDir;
  if (isAbsolute(configDir)) {
    // git reports the root with symlinks resolved (/tmp → /private/tmp on macOS): compare real paths.
    rel = relative(real(root), real(configDir)).split(sep).join("/");
  }
  rel = posix.normalize(rel || ".").replace(/\/+$/u, "");
  if (rel === ".") return "";
  if (rel === ".." || rel.startsWith("../") || isAbsolute(rel)) {
    throw signatureError(
      "CIG_SIG_CONFIG_OUTSIDE_REPO",
      `the cig.toml directory ${configDir} is outside the repository ${root}`,
      "Run cig inside the repository that holds cig.toml (or pass --cwd there).",
    );
  }
  return rel;
}

/** A cig.toml glob relative to the repository root; a leading "!" (an exclusion) is kept. */
export function rootGlob(prefix: string, pattern: string): string {
  const negated = pattern.startsWith("!");
  const body = (negated ? pattern.slice(1) : pattern).replace(/^(\.\/)+/u, "").replace(/^\/+/u, "");
  let joined = prefix === "" ? body : `${prefix}/${body}`;
  // "../shared/**" from a nested cig.toml: resolve dot segments so the glob can match repo paths.
  if (/(^|\/)\.\.?(\/|$)/u.test(joined)) joined = posix.normalize(joined);
  return negated ? `!${joined}` : joined;
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
