import type { PlanRequest, PlanResponseSchema, ResourceSchema } from "@cig/proto";
import { matrixOrVersion, type Reply, setupStep } from "@cig/sdk";

/** Package names in a job's `packages` that this module answers for. */
const RUBY_PACKAGES = new Set(["ruby"]);
const MATRIX_AXES = new Set(["ruby", "ruby_version", "ruby-version"]);
/** Without a matrix axis or a detected version: setup-ruby's name for the latest stable CRuby. */
export const DEFAULT_RUBY = "ruby";

/**
 * For every job whose `packages` include "ruby": set Ruby up (per variant
 * from a `ruby` matrix axis, else the detected version, else the latest
 * stable release) with the Bundler cache when the project has a Gemfile.
 * The "bundler" cache means the installer runs `bundle install` itself
 * (setup-ruby's bundler-cache does), so there is no separate install step.
 */
export function planRuby(req: PlanRequest): Reply<typeof PlanResponseSchema> {
  const detected = req.facts.ruby_version ?? DEFAULT_RUBY;
  const cache = req.facts.ruby_dependency_file ? "bundler" : "";
  const resources: Reply<typeof ResourceSchema>[] = [];
  for (const job of req.schema?.jobs ?? []) {
    if (!job.packages.some((p) => RUBY_PACKAGES.has(p))) continue;
    const version = matrixOrVersion(job, MATRIX_AXES, detected);
    resources.push(
      setupStep(job.id, "setup-ruby", 20, {
        name: "Set up Ruby",
        action: { case: "setupTool", value: { tool: "ruby", version, cache } },
      }),
    );
  }
  return { resources };
}
