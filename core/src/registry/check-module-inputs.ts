import type { Value } from "@bufbuild/protobuf/wkt";
import type { CigSchema, Diagnostic } from "@cig/proto";
import { configDiagnostic } from "../config/config-codes.js";
import { didYouMean } from "../config/did-you-mean.js";
import type { InputType, ModuleManifest } from "./module-manifest.js";
import { parsePluginAddress } from "./plugin-address.js";
import { isModuleUses } from "./plugin-requirements.js";

/** The `[inputs]` type a `with` value has; whole numbers count as integers. */
function typeOf(v: Value): InputType {
  switch (v.kind.case) {
    case "stringValue":
      return "string";
    case "boolValue":
      return "boolean";
    case "numberValue":
      return Number.isInteger(v.kind.value) ? "integer" : "number";
    case "listValue":
      return "array";
    case "structValue":
      return "table";
    default:
      return "string";
  }
}

/**
 * Checks every `uses = "<module>@…"` step's `with = { … }` against the
 * module's `[inputs]` (docs/registry.md#moduletoml): unknown inputs (with a
 * did-you-mean), values of the wrong type, and required inputs left out are
 * errors at the step. Modules without an `[inputs]` table are not checked.
 */
export function checkModuleInputs(schema: CigSchema, manifests: ReadonlyMap<string, ModuleManifest>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const job of schema.jobs) {
    job.steps.forEach((step, i) => {
      if (step.action.case !== "uses" || !isModuleUses(step.action.value.ref)) return;
      const id = parsePluginAddress(step.action.value.ref).id;
      const m = manifests.get(id);
      if (!m?.inputsDeclared) return;
      const where = `jobs.${job.id}.steps[${i}]`;
      const loc = step.loc;
      const given = step.action.value.with;
      for (const [key, value] of Object.entries(given).sort(([a], [b]) => (a < b ? -1 : 1))) {
        const spec = m.inputs[key];
        if (!spec) {
          const near = didYouMean(key, Object.keys(m.inputs));
          out.push(
            configDiagnostic({
              code: "CIG_MODULE_INPUT_UNKNOWN",
              title: `${where}: ${id} has no input "${key}"`,
              hint: near ? `Did you mean "${near}"?` : `Its inputs are: ${Object.keys(m.inputs).sort().join(", ") || "none"}.`,
              loc,
            }),
          );
        } else if (typeOf(value) !== spec.type && !(spec.type === "number" && typeOf(value) === "integer")) {
          out.push(
            configDiagnostic({
              code: "CIG_MODULE_INPUT_TYPE",
              title: `${where}: input "${key}" of ${id} is ${spec.type}, not ${typeOf(value)}`,
              hint: `Give "${key}" a value of type ${spec.type}.`,
              loc,
            }),
          );
        }
      }
      for (const [key, spec] of Object.entries(m.inputs).sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (spec.optional || spec.default !== undefined || key in given) continue;
        out.push(
          configDiagnostic({
            code: "CIG_MODULE_INPUT_MISSING",
            title: `${where}: ${id} needs the input "${key}" (${spec.type})`,
            hint: `Add it: with = { ${key} = … }.`,
            loc,
          }),
        );
      }
    });
  }
  return out;
}
