import type { SetupToolAction } from "@cig/proto";
import { type JsonMap, orderKeys } from "@cig/sdk";
import { CACHE_KEY_ORDER } from "./key-order.js";
import { providerRun } from "./provider-steps.js";
import type { CircleStep, StepContext } from "./render-step.js";
import { installLines, SETUP_TOOLS } from "./setup-tools.js";
import { type At, toolNotInImage, unknownTool } from "./step-diagnostics.js";

const LANGUAGES = new Set(["ruby", "python", "go", "java", "node"]);

/**
 * A setup_tool step on CircleCI. A tool the job's cimg image provides needs
 * no step; any other gets an install step this provider adds (marked, see
 * provider-steps.ts). Ruby with the `bundler` cache also installs the gems —
 * the cache means "the installer runs bundle install", as setup-ruby's
 * bundler-cache does — between a restore_cache and a save_cache at the end
 * of the job, keyed on Gemfile.lock.
 */
export function renderSetupTool(tool: SetupToolAction, stepName: string, ctx: StepContext, at: At): CircleStep[] {
  if (!(SETUP_TOOLS as readonly string[]).includes(tool.tool)) {
    ctx.diagnostics.push(unknownTool(tool.tool, at));
    return [];
  }
  const bound: SetupToolAction = { ...tool, version: ctx.bind(tool.version) };
  const steps: CircleStep[] = [];
  if (!(ctx.image !== undefined && ctx.provides.has(tool.tool))) {
    const lines = installLines(bound);
    if (ctx.image !== undefined && LANGUAGES.has(tool.tool)) ctx.diagnostics.push(toolNotInImage(tool.tool, ctx.image, at));
    else if (!lines) ctx.diagnostics.push(toolNotInImage(tool.tool, "the runner's executor", at));
    if (lines) steps.push(providerRun(ctx.bind(stepName) || `Set up ${tool.tool}`, lines));
  }
  if (tool.tool === "ruby" && tool.cache === "bundler") steps.push(...bundlerSteps(bound.version, ctx));
  return steps;
}

// Gems in vendor/bundle (a path inside the project, so save_cache can keep
// it), restored by the exact lockfile first, then the newest for this Ruby.
function bundlerSteps(version: string, ctx: StepContext): CircleStep[] {
  const prefix = `gems-{{ arch }}-ruby${version ? `-${version}` : ""}-`;
  const key = `${prefix}{{ checksum "Gemfile.lock" }}`;
  ctx.atEnd.push({ save_cache: orderKeys({ name: "Save cache gems", key, paths: ["vendor/bundle"] }, CACHE_KEY_ORDER) as JsonMap });
  return [
    { restore_cache: orderKeys({ name: "Restore cache gems", keys: [key, prefix] }, CACHE_KEY_ORDER) },
    providerRun("Install gems", ["bundle config set --local path vendor/bundle", "bundle install --jobs 4 --retry 3"]),
  ];
}
