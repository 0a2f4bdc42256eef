import { Diagnostic_Level, type DiagnosticSchema, type SourceLocation } from "@cig/proto";
import type { Reply } from "./define-plugin.js";

// Diagnostics as provider plugins build them. Codes are passed whole
// ("PROVIDER_GITHUB_UNKNOWN_CACHE") rather than assembled from parts, so that
// a code can be found with grep in the provider that emits it and in its docs.

/** A diagnostic as a plugin builds it (a reply init shape). */
export type Diag = Reply<typeof DiagnosticSchema>;

/** Where a diagnostic points: the resource and, when known, the cig.toml location. */
export interface DiagTarget {
  resourceId?: string;
  loc?: SourceLocation | undefined;
}

/** The job or step a rendering diagnostic points at: always a resource, a location when the core sent one. */
export type StepTarget = { resourceId: string; loc: SourceLocation | undefined };

function make(level: Diagnostic_Level, code: string, title: string, message: string, fixHint: string, at: DiagTarget): Diag {
  const diag: Diag = { level, code, title, message, fixHint };
  if (at.resourceId) diag.resourceId = at.resourceId;
  // An all-zero location means "unknown"; leave it out rather than point at nothing.
  if (at.loc && at.loc.path !== "") diag.loc = at.loc;
  return diag;
}

/** An error: the run fails. `code` is the whole code, e.g. `PROVIDER_GITHUB_UNKNOWN_CACHE`. */
export function errorDiag(code: string, title: string, message: string, fixHint: string, at: DiagTarget = {}): Diag {
  return make(Diagnostic_Level.ERROR, code, title, message, fixHint, at);
}

/** A warning: shown, the run continues. */
export function warningDiag(code: string, title: string, message: string, fixHint: string, at: DiagTarget = {}): Diag {
  return make(Diagnostic_Level.WARNING, code, title, message, fixHint, at);
}

/** `PROVIDER_<NAME>_<suffix>` for provider `name` ("github" → `PROVIDER_GITHUB_…`): the std providers' code scheme. */
export function providerCode(provider: string, suffix: string): string {
  return `PROVIDER_${provider.toUpperCase()}_${suffix}`;
}

/**
 * `PROVIDER_<NAME>_WRONG_TARGET` when the core asks provider `provider` to
 * render another target; undefined for its own target or "" (a core that
 * names none). `platform` is what the provider renders ("GitHub Actions").
 */
export function wrongTargetDiag(target: string, provider: string, platform: string): Diag | undefined {
  if (target === "" || target === provider) return undefined;
  return errorDiag(
    providerCode(provider, "WRONG_TARGET"),
    `provider/${provider} was asked to render target ${target}`,
    `provider/${provider} renders ${platform} only; the core sent target "${target}".`,
    "This is a cig core bug: report it with `cig --verbose render`.",
  );
}

/** `PROVIDER_<NAME>_EMPTY_STEP`: a step with none of the actions the protocol defines (a newer core, or a bug). */
export function emptyStepDiag(provider: string, at: StepTarget): Diag {
  return errorDiag(
    providerCode(provider, "EMPTY_STEP"),
    "A step has no action",
    "The step has none of run, uses, checkout, cache or setup_tool; it was left out.",
    "Give the step a `run` or `uses`.",
    at,
  );
}
