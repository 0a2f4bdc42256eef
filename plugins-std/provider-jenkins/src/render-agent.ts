import type { Diag, DiagTarget, JsonMap } from "@cig/sdk";
import { block, groovyString } from "./groovy-text.js";
import { directive } from "./passthrough-groovy.js";

/** Keys of a runner's or job's jenkins table that choose the machine: they become the stage's `agent`. */
export const AGENT_KEYS = ["agent", "label", "docker", "dockerfile", "node", "kubernetes"] as const;

/** True when the table chooses a machine itself (then setup tools are installed, not taken from an image). */
export function hasAgent(table: JsonMap): boolean {
  return AGENT_KEYS.some((k) => table[k] !== undefined);
}

/**
 * The stage's `agent`, in order of precedence:
 * 1. the job's jenkins table, else the runner's: `label = "linux"` →
 *    `agent { label 'linux' }`, `docker = { image = "…" }` → `agent { docker { … } }`,
 *    `agent = "any"` / `{ … }` as written;
 * 2. the official image of the job's first setup tool, when the job has no
 *    services (`agent { docker { image 'node:20' } }`; with services the
 *    image runs inside the service pod instead, see render-services);
 * 3. `agent any`: Jenkins' "any available executor", the default machine.
 */
export function renderAgent(
  jobTable: JsonMap,
  runnerTable: JsonMap,
  image: string | undefined,
  at: DiagTarget,
  diagnostics: Diag[],
): string[] {
  const table = hasAgent(jobTable) ? jobTable : runnerTable;
  if (hasAgent(table)) {
    const agent = table.agent;
    if (agent === "any" || agent === "none") return [`agent ${agent}`];
    const body: string[] = [];
    for (const key of AGENT_KEYS) {
      const value = table[key];
      if (value === undefined) continue;
      if (key === "agent" && typeof value === "object" && value !== null && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value)) body.push(...directive(k, v, at, diagnostics));
      } else if (key === "agent" && typeof value === "string") body.push(...directive("label", value, at, diagnostics));
      else body.push(...directive(key, value, at, diagnostics));
    }
    return block("agent", body);
  }
  if (image) return block("agent", block("docker", [`image ${groovyString(image)}`]));
  return ["agent any"];
}
