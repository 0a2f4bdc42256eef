import type { Job } from "@cig/proto";
import { sortedRecord } from "./canonical-json.js";
import { expandMatrix, hasMatrix, type MatrixVariant } from "./expand-matrix.js";
import { type DiagnosticSink, GRAPH_CODES } from "./graph-diagnostics.js";
import type { DocumentPath } from "./interpolate-job.js";

/** A cig.toml job with its matrix expanded. */
export interface ExpandedJob {
  readonly job: Job;
  /** Its variants; a job without a matrix has one, named like the job, with no values. */
  readonly variants: MatrixVariant[];
  /** Keys of its matrix cells: what `{{ name }}` resolves as a matrix reference. */
  readonly matrixKeys: ReadonlySet<string>;
  readonly hasMatrix: boolean;
}

/**
 * Expands every job's matrix (jobs in the order given, which the caller makes
 * id order) and reports empty matrices, excludes that match nothing, and ids
 * that two jobs or variants share. Of two variants with one id only the
 * first is kept, so the graph stays well-formed for the remaining checks.
 */
export function expandJobs(jobs: readonly Job[], sink: DiagnosticSink): ExpandedJob[] {
  const owners = new Map<string, { job: Job; variant: MatrixVariant; matrix: boolean }>();
  return jobs.map((job) => {
    const matrix = hasMatrix(job.matrix) ? job.matrix : undefined;
    const expansion = matrix
      ? expandMatrix(job.id, matrix)
      : { variants: [{ id: job.id, values: {}, include: undefined }], keys: new Set<string>(), unusedExcludes: [] };
    const matrixPath: DocumentPath = ["jobs", job.id, "matrix"];
    if (matrix && expansion.variants.length === 0) {
      sink.report({
        code: GRAPH_CODES.emptyMatrix,
        title: `the matrix of job ${job.id} has no cells`,
        message: `Every combination of ${matrix.axes.map((a) => a.name).join(" × ")} in job "${job.id}" is excluded, so the job would never run.`,
        fixHint: "Remove an `exclude` entry, add an `include` entry, or remove the job.",
        loc: sink.locate(matrixPath, job.loc),
      });
    }
    for (const i of expansion.unusedExcludes) {
      const path = [...matrixPath, "exclude", i];
      sink.report({
        code: GRAPH_CODES.excludeUnused,
        warning: true,
        title: `exclude entry ${i + 1} of job ${job.id} matches no cell`,
        message: `${formatCell(sortedRecord(matrix?.exclude[i]?.values ?? {}))} names no combination of the axes of job "${job.id}", so it excludes nothing.`,
        fixHint: "Check the axis names and values for typos, or remove the entry.",
        loc: sink.locate(path, job.loc),
      });
    }
    const live: MatrixVariant[] = [];
    for (const variant of expansion.variants) {
      const first = owners.get(variant.id);
      const origin = { job, variant, matrix: matrix !== undefined };
      if (!first) {
        owners.set(variant.id, origin);
        live.push(variant);
        continue;
      }
      const here = originPath(origin);
      sink.report({
        code: GRAPH_CODES.duplicateId,
        title: `two jobs are named ${variant.id}`,
        message: `${describe(first)}${sink.at(originPath(first), first.job.loc)} and ${describe(origin)}${sink.at(here, job.loc)} would both be job "${variant.id}".`,
        fixHint:
          "Rename a job or change a matrix value so the names differ. A variant is named <job>-<value>-<value>… in axis order; " +
          "a value starting with a digit gets its axis name in front, and characters other than A-Z a-z 0-9 . _ - become _.",
        loc: sink.locate(here, job.loc),
        resourceId: `job:${variant.id}`,
      });
    }
    return { job, variants: live, matrixKeys: expansion.keys, hasMatrix: matrix !== undefined };
  });
}

interface Origin {
  readonly job: Job;
  readonly variant: MatrixVariant;
  readonly matrix: boolean;
}

function describe(origin: Origin): string {
  if (!origin.matrix) return `job "${origin.job.id}"`;
  const cell = formatCell(origin.variant.values);
  const from = origin.variant.include === undefined ? "" : ` (from include entry ${origin.variant.include + 1})`;
  return `the variant ${cell} of job "${origin.job.id}"${from}`;
}

function originPath(origin: Origin): DocumentPath {
  if (!origin.matrix) return ["jobs", origin.job.id];
  const matrix: DocumentPath = ["jobs", origin.job.id, "matrix"];
  return origin.variant.include === undefined ? matrix : [...matrix, "include", origin.variant.include];
}

/** A matrix cell as in cig.toml: `{ ruby = "3.2", os = "linux" }`, in the record's key order. */
function formatCell(values: Readonly<Record<string, string>>): string {
  const parts = Object.entries(values).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
  return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
}
