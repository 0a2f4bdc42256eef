import type { PlanRequest, PlanResponseSchema, ResourceSchema } from "@cig/proto";
import { matrixOrVersion, type Reply, setupStep } from "@cig/sdk";

/** Package names in a job's `packages` that this module answers for. */
const GO_PACKAGES = new Set(["go", "golang"]);
const MATRIX_AXES = new Set(["go", "go_version", "go-version", "golang"]);
/** Without a matrix axis or a detected version: the latest stable Go, in setup-go's spelling. */
export const DEFAULT_GO = "stable";

/**
 * For every job whose `packages` include "go": set Go up (per variant from a
 * `go` matrix axis, else the detected version, else the latest stable
 * release) with the module cache, then download the modules. A module
 * without go.sum has no dependencies: no cache (setup-go keys it on go.sum
 * and warns without one) and nothing to download.
 */
export function planGo(req: PlanRequest): Reply<typeof PlanResponseSchema> {
  const detected = req.facts.go_version ?? DEFAULT_GO;
  const hasDependencies = req.facts.go_dependency_file === "go.sum";
  const resources: Reply<typeof ResourceSchema>[] = [];
  for (const job of req.schema?.jobs ?? []) {
    if (!job.packages.some((p) => GO_PACKAGES.has(p))) continue;
    const version = matrixOrVersion(job, MATRIX_AXES, detected);
    resources.push(
      setupStep(job.id, "setup-go", 20, {
        name: "Set up Go",
        // An empty cache is setup-go's default (modules and build cache); "none" turns it off.
        action: { case: "setupTool", value: { tool: "go", version, cache: hasDependencies ? "" : "none" } },
      }),
    );
    if (hasDependencies) {
      resources.push(
        setupStep(job.id, "download-go-modules", 30, {
          name: "Download Go modules",
          action: { case: "run", value: { command: "go mod download" } },
        }),
      );
    }
  }
  return { resources };
}
