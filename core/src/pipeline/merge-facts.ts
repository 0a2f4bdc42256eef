import { create } from "@bufbuild/protobuf";
import { type Diagnostic, Diagnostic_Level, DiagnosticSchema } from "@cig/proto";
import type { PipelineResult } from "./pipeline-types.js";

/**
 * Every plugin's facts in one map, merged in plugin-name order so that the
 * result never depends on timing; a fact two plugins disagree on keeps the
 * first value and adds warning CIG_FACT_CONFLICT.
 */
export function mergeFacts(detections: PipelineResult["detections"], diagnostics: Diagnostic[]): Record<string, string> {
  const facts: Record<string, { value: string; plugin: string }> = {};
  for (const d of [...detections].sort((a, b) => (a.plugin < b.plugin ? -1 : 1))) {
    for (const [k, v] of Object.entries(d.facts).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const seen = facts[k];
      if (seen && seen.value !== v) {
        diagnostics.push(
          create(DiagnosticSchema, {
            level: Diagnostic_Level.WARNING,
            code: "CIG_FACT_CONFLICT",
            title: `plugins disagree about ${k}`,
            message: `${seen.plugin} says ${k}=${seen.value}, ${d.plugin} says ${k}=${v}; using ${seen.value}`,
            fixHint: "Set the value explicitly in [variables], or remove one of the plugins.",
          }),
        );
        continue;
      }
      facts[k] = { value: v, plugin: d.plugin };
    }
  }
  return Object.fromEntries(Object.entries(facts).map(([k, v]) => [k, v.value]));
}

/** "Node 20.11.1 detected (pnpm 9.15.0)" from facts named `<tool>_version`, as the seed prints. */
export function summarizeFacts(facts: Record<string, string>): string {
  const tools = Object.keys(facts)
    .filter((k) => k.endsWith("_version") && k !== "package_manager_version")
    .sort()
    .map((k) => `${titleCase(k.slice(0, -"_version".length))} ${facts[k]}`);
  if (tools.length === 0) return "";
  const pm = facts.package_manager ? ` (${[facts.package_manager, facts.package_manager_version].filter(Boolean).join(" ")})` : "";
  return `${tools.join(", ")} detected${pm}`;
}

function titleCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, " ");
}
