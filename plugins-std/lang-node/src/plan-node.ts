import type { PlanRequest, PlanResponseSchema, ResourceSchema } from "@cig/proto";
import { matrixOrVersion, type Reply, setupStep } from "@cig/sdk";

/** Package names in a job's `packages` that this module answers for. */
const NODE_PACKAGES = new Set(["node", "nodejs"]);
const MATRIX_AXES = new Set(["node", "node_version", "node-version", "nodejs"]);

const INSTALL: Record<string, string> = {
  npm: "npm ci",
  pnpm: "pnpm install --frozen-lockfile",
  yarn: "yarn install --immutable",
  bun: "bun install --frozen-lockfile",
};

/**
 * For every job whose `packages` include "node": set up pnpm/yarn/bun first
 * when the project uses one, then Node (per variant from a `node` matrix axis,
 * else the detected version, else the active LTS) with that package
 * manager's dependency cache, then install
 * dependencies with the lockfile-respecting command.
 */
export function planNode(req: PlanRequest): Reply<typeof PlanResponseSchema> {
  const detected = req.facts.node_version ?? "lts/*";
  const pm = req.facts.package_manager ?? "npm";
  const resources: Reply<typeof ResourceSchema>[] = [];
  for (const job of req.schema?.jobs ?? []) {
    if (!job.packages.some((p) => NODE_PACKAGES.has(p))) continue;
    const version = matrixOrVersion(job, MATRIX_AXES, detected);
    if (pm !== "npm") {
      const pmVersion = req.facts.package_manager_version ?? "";
      resources.push(
        setupStep(job.id, `setup-${pm}`, 10, {
          name: `Set up ${pm}`,
          action: { case: "setupTool", value: { tool: pm, version: pmVersion } },
        }),
      );
    }
    resources.push(
      setupStep(job.id, "setup-node", 20, {
        name: "Set up Node.js",
        action: { case: "setupTool", value: { tool: "node", version, cache: pm } },
      }),
      setupStep(job.id, "install-node-deps", 30, {
        name: "Install dependencies",
        action: { case: "run", value: { command: INSTALL[pm] ?? "npm ci" } },
      }),
    );
  }
  return { resources };
}
