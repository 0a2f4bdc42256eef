import type { Output } from "@cig/proto";
import { type Diag, errorDiag, providerCode } from "./provider-diagnostics.js";

// Which files a provider writes. The core checks [[outputs]] paths when it
// loads cig.toml, but a provider cannot know which core (or test) sent the
// request, and a fragment path outside the repository would be written
// wherever it points: so every provider checks again and skips such paths.

/** What {@link outputPaths} needs to know about the provider. */
export interface OutputPathOptions {
  /** The provider's name ("github"): outputs for it (or for no provider) are its own, and codes are `PROVIDER_<NAME>_…`. */
  provider: string;
  /** Where the file goes when no output names a path, e.g. ".github/workflows/ci.yml". */
  defaultPath: string;
  /** Example paths for the fix hint of a rejected path; default the default path, quoted. */
  example?: string;
  /** A provider's own check of an accepted path (e.g. "the platform does not read files there"), as a diagnostic. */
  check?: (path: string) => Diag | undefined;
}

/**
 * True when `path` stays inside the repository: relative, `/`-separated, with
 * no `..` segment and no drive letter (`C:…`, which Windows reads as absolute
 * or drive-relative).
 */
export function isRepoRelativePath(path: string): boolean {
  return !(path.startsWith("/") || path.includes("\\") || /^[A-Za-z]:/.test(path) || path.split("/").includes(".."));
}

/**
 * The paths to write for this provider, in [[outputs]] order without
 * duplicates: the default path when no output is the provider's (or an
 * output has no path). A path outside the repository is skipped with
 * `PROVIDER_<NAME>_BAD_OUTPUT_PATH`; accepted paths go through `check`.
 * Problems are appended to `diagnostics`.
 */
export function outputPaths(outputs: readonly Output[], options: OutputPathOptions, diagnostics: Diag[]): string[] {
  const { provider, defaultPath } = options;
  const mine = outputs.filter((o) => o.provider === "" || o.provider === provider);
  if (mine.length === 0) return [defaultPath];
  const paths: string[] = [];
  for (const o of mine) {
    const path = o.path || defaultPath;
    if (!isRepoRelativePath(path)) {
      diagnostics.push(
        errorDiag(
          providerCode(provider, "BAD_OUTPUT_PATH"),
          `Output path ${path} is not inside the repository`,
          "An [[outputs]] path must be relative to the repository root, with / separators and no ..; this output was skipped.",
          `Use a path such as ${options.example ?? `"${defaultPath}"`}.`,
        ),
      );
      continue;
    }
    const problem = options.check?.(path);
    if (problem) diagnostics.push(problem);
    if (!paths.includes(path)) paths.push(path);
  }
  return paths;
}
