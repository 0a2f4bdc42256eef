import { create } from "@bufbuild/protobuf";
import { type Diagnostic, Diagnostic_Level, DiagnosticSchema, type SourceLocation } from "@cig/proto";
import { compareUtf8 } from "./compare-utf8.js";
import type { DocumentPath } from "./interpolate-job.js";

/** Every diagnostic code the job graph reports (see docs/job-graph.md). */
export const GRAPH_CODES = {
  /** Every cell of a job's matrix was excluded. */
  emptyMatrix: "CIG_GRAPH_EMPTY_MATRIX",
  /** An `exclude` entry matched no cell (warning). */
  excludeUnused: "CIG_GRAPH_EXCLUDE_UNUSED",
  /** Two jobs or variants have the same id after matrix expansion. */
  duplicateId: "CIG_GRAPH_DUPLICATE_ID",
  /** `needs` names no job (normally caught by the config loader). */
  unknownNeeds: "CIG_GRAPH_UNKNOWN_NEEDS",
  /** Jobs need each other in a circle. */
  cycle: "CIG_GRAPH_CYCLE",
  /** `{{ name }}` names no matrix key, variable or fact. */
  unknownVariable: "CIG_GRAPH_UNKNOWN_VARIABLE",
} as const;

/** One of {@link GRAPH_CODES}. */
export type GraphCode = (typeof GRAPH_CODES)[keyof typeof GRAPH_CODES];

/** Maps a document path to its place in cig.toml; provided by the config loader. */
export type Locator = (path: (string | number)[]) => SourceLocation | undefined;

/** What a graph diagnostic says; `level` defaults to error. */
export interface GraphProblem {
  readonly code: GraphCode;
  readonly title: string;
  readonly message: string;
  readonly fixHint: string;
  readonly loc?: SourceLocation | undefined;
  readonly resourceId?: string | undefined;
  readonly warning?: boolean;
}

/** Collects diagnostics and resolves document paths to locations. */
export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly locator: Locator | undefined,
    private readonly sourcePath: string,
  ) {}

  /** The location of `path`, else `fallback` (usually the job's own `loc`). */
  locate(path: DocumentPath, fallback?: SourceLocation): SourceLocation | undefined {
    return this.locator?.(path) ?? fallback;
  }

  /** "cig.toml:12:9" for a located path, "" when the line is unknown. */
  where(path: DocumentPath, fallback?: SourceLocation): string {
    const loc = this.locate(path, fallback);
    if (!loc || loc.line === 0) return "";
    return `${loc.path || this.sourcePath}:${loc.line}:${loc.column}`;
  }

  /** " (cig.toml:12:9)", or "" — for appending to a sentence. */
  at(path: DocumentPath, fallback?: SourceLocation): string {
    const where = this.where(path, fallback);
    return where ? ` (${where})` : "";
  }

  report(problem: GraphProblem): void {
    this.diagnostics.push(
      create(DiagnosticSchema, {
        level: problem.warning ? Diagnostic_Level.WARNING : Diagnostic_Level.ERROR,
        code: problem.code,
        title: problem.title,
        message: problem.message,
        fixHint: problem.fixHint,
        ...(problem.loc ? { loc: problem.loc } : {}),
        resourceId: problem.resourceId ?? "",
      }),
    );
  }

  /** The diagnostics in file order (path, line, column), then by code and text: stable across runs. */
  sorted(): Diagnostic[] {
    return [...this.diagnostics].sort(compareDiagnostics);
  }
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareUtf8(a.loc?.path ?? "", b.loc?.path ?? "") ||
    (a.loc?.line ?? 0) - (b.loc?.line ?? 0) ||
    (a.loc?.column ?? 0) - (b.loc?.column ?? 0) ||
    compareUtf8(a.code, b.code) ||
    compareUtf8(a.title, b.title) ||
    compareUtf8(a.message, b.message)
  );
}
