import { Diagnostic_Level, type DiagnosticSchema, type SourceLocation } from "@cig/proto";
import type { Reply } from "@cig/sdk";

/** A diagnostic as this plugin builds it (a reply init shape). */
export type Diag = Reply<typeof DiagnosticSchema>;

/** Where a diagnostic points: the resource and, when known, the cig.toml location. */
export interface DiagTarget {
  resourceId?: string;
  loc?: SourceLocation | undefined;
}

function make(level: Diagnostic_Level, code: string, title: string, message: string, fixHint: string, at: DiagTarget): Diag {
  const diag: Diag = { level, code, title, message, fixHint };
  if (at.resourceId) diag.resourceId = at.resourceId;
  // An all-zero location means "unknown"; leave it out rather than point at nothing.
  if (at.loc && at.loc.path !== "") diag.loc = at.loc;
  return diag;
}

/** An error: the run fails. Codes are `PROVIDER_JENKINS_*`, documented in docs/providers/jenkins.md. */
export function errorDiag(code: string, title: string, message: string, fixHint: string, at: DiagTarget = {}): Diag {
  return make(Diagnostic_Level.ERROR, code, title, message, fixHint, at);
}

/** A warning: shown, the run continues. */
export function warningDiag(code: string, title: string, message: string, fixHint: string, at: DiagTarget = {}): Diag {
  return make(Diagnostic_Level.WARNING, code, title, message, fixHint, at);
}
