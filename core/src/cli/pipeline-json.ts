import { relative } from "node:path";
import type { PipelineResult } from "../pipeline/pipeline-types.js";
import { Diagnostic_Level, toJsonDiagnostic } from "./diagnostic-json.js";

/**
 * The machine-readable form of a run (`--json`): plugins, facts, the planned
 * job graph (variants, edges, steps with who contributed them), outputs and
 * diagnostics. Providers' outputs are checked against this graph in tests.
 */
export function pipelineJson(cwd: string, r: PipelineResult) {
  return {
    config: relative(cwd, r.configFile),
    ok: !r.failed,
    plugins: r.plugins,
    facts: r.facts,
    jobs: r.graph.flatMap((res) => {
      if (res.spec.case !== "job") return [];
      const j = res.spec.value;
      const contributed = r.contributions.steps.get(res.id) ?? [];
      return [
        {
          id: res.id,
          job: j.jobId,
          matrix: j.matrix,
          needs: j.needs,
          runner: j.runner?.name ?? "",
          condition: j.condition,
          services: j.services.map((s) => s.name),
          service_images: j.services.map((s) => s.image),
          steps: j.steps.map((s, i) => ({
            name: s.name,
            kind: s.action.case ?? "",
            owner: contributed[i]?.owner ?? "cig.toml",
            ...(s.action.case === "run" ? { command: s.action.value.command } : {}),
            ...(s.condition ? { condition: s.condition } : {}),
            // Providers whose table on this step replaces it or leaves it out (`{ skip = true }`).
            provider_tables: Object.keys(s.passthrough).sort(),
            skipped_on: Object.entries(s.passthrough)
              .filter(([, t]) => t.skip === true)
              .map(([p]) => p)
              .sort(),
          })),
        },
      ];
    }),
    deps: r.deps.map((d) => ({ from: d.from, to: d.to, reason: d.reason })),
    outputs: r.changes.map((c) => ({ path: c.path, status: c.status, lines: c.lines, owners: c.owners })),
    diagnostics: r.diagnostics.map(toJsonDiagnostic),
    errors: r.diagnostics.filter((d) => d.level === Diagnostic_Level.ERROR).length,
  };
}
