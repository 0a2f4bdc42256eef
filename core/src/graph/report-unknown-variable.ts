import { formatPath } from "../config/document-path.js";
import { suggestion } from "./did-you-mean.js";
import { type DiagnosticSink, GRAPH_CODES } from "./graph-diagnostics.js";
import { type InterpolationScope, knownNames, type UnknownReference } from "./interpolate.js";
import type { UnknownReporter } from "./interpolate-job.js";

/** Whose strings are being interpolated, for the wording and location of the diagnostic. */
export interface ReferenceOwner {
  /** "job test", "cache bundler". */
  readonly label: string;
  readonly resourceId?: string;
  /** An extra sentence about `name`, e.g. why a matrix key is not visible here. */
  readonly note?: (name: string) => string | undefined;
}

const WHAT: Record<string, string> = { matrix: "matrix keys", vars: "variables", facts: "facts", any: "names" };

/** An {@link UnknownReporter} that turns each unknown reference into a CIG_GRAPH_UNKNOWN_VARIABLE error. */
export function unknownVariableReporter(sink: DiagnosticSink, scope: InterpolationScope, owner: ReferenceOwner): UnknownReporter {
  return (ref, path, fallback) => {
    const note = owner.note?.(ref.name);
    sink.report({
      code: GRAPH_CODES.unknownVariable,
      title: `unknown variable ${ref.namespace ? `${ref.namespace}.` : ""}${ref.name} in ${owner.label}`,
      message: `${ref.text} in ${formatPath(path)} ${explain(ref, owner, scope)}.${note ? ` ${note}` : ""}`,
      fixHint: hint(ref, scope),
      loc: sink.locate(path, fallback),
      resourceId: owner.resourceId,
    });
  };
}

function explain(ref: UnknownReference, owner: ReferenceOwner, scope: InterpolationScope): string {
  switch (ref.namespace) {
    case "matrix":
      return scope.matrix.size === 0 ? `refers to a matrix, but ${owner.label} has none` : `is not a matrix key of ${owner.label}`;
    case "vars":
      return `is not defined in [variables]`;
    case "facts":
      return `is not a fact any plugin detected`;
    default:
      return `is not a matrix key of ${owner.label}, an entry of [variables] or a detected fact`;
  }
}

function hint(ref: UnknownReference, scope: InterpolationScope): string {
  const known = knownNames(ref.namespace, scope);
  const parts = [suggestion(ref.name, known, WHAT[ref.namespace ?? "any"] ?? "names")];
  const dotted = ref.namespace === undefined && ref.name.includes(".");
  if ((ref.namespace === undefined && !dotted) || ref.namespace === "vars") parts.push(`Otherwise define ${ref.name} under [variables].`);
  if (ref.namespace === "facts") parts.push("Facts come from the plugins' detect hook; `cig plan` shows what was detected.");
  // `{{ secrets.TOKEN }}` is usually a provider expression missing its "$".
  if (dotted) parts.push(`For a provider expression write $${ref.text}.`);
  return parts.join(" ");
}
