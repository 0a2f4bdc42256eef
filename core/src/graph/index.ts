/**
 * The job graph: cig.toml jobs expanded into matrix variants, their needs
 * resolved, `{{ }}` references interpolated, topologically sorted, with
 * every problem reported as a Diagnostic. See docs/job-graph.md.
 */
export { buildJobGraph, type JobGraph } from "./build-job-graph.js";
export { compareUtf8 } from "./compare-utf8.js";
export { didYouMean } from "./did-you-mean.js";
export { expandMatrix, hasMatrix, type MatrixExpansion, type MatrixVariant } from "./expand-matrix.js";
export { GRAPH_CODES, type GraphCode, type Locator } from "./graph-diagnostics.js";
export {
  type Interpolated,
  type InterpolationScope,
  interpolate,
  matrixPlaceholder,
  type ReferenceNamespace,
  replaceMatrixRefs,
  substituteMatrix,
  type UnknownReference,
} from "./interpolate.js";
export { variantId, variantPart } from "./variant-id.js";
