import type { SetupToolAction } from "@cig/proto";
import type { JsonMap } from "@cig/sdk";
import { ACTION_VERSIONS } from "./action-versions.js";

/** What the generate request knows besides the step, for tools that need it. */
export interface SetupToolContext {
  /** Facts from detection; `package_manager_version` pins pnpm when package.json has no packageManager. */
  facts: Readonly<Record<string, string>>;
  /** The job already installs pnpm itself (pnpm/action-setup or a pnpm setup step). */
  jobInstallsPnpm: boolean;
}

/** Tools with a mapping; anything else is a PROVIDER_GITHUB_UNKNOWN_TOOL error. */
export const SETUP_TOOLS = ["ruby", "node", "pnpm", "yarn", "bun", "python", "go", "java"] as const;

/**
 * The official setup action(s) for a setupTool step, or undefined for a tool
 * without a mapping. An empty version leaves the version input out: each
 * action then reads the usual version file (.ruby-version, go.mod via
 * go-version-file, …) or uses the runner's preinstalled version.
 */
export function renderSetupTool(tool: SetupToolAction, ctx: SetupToolContext): JsonMap[] | undefined {
  const w: JsonMap = {};
  const version = tool.version;
  switch (tool.tool) {
    case "ruby":
      if (version) w["ruby-version"] = version;
      // setup-ruby's own bundler cache runs `bundle install` and caches vendor/bundle.
      if (tool.cache === "bundler") w["bundler-cache"] = true;
      return [step(ACTION_VERSIONS.setupRuby, w)];
    case "node": {
      if (version) w["node-version"] = version;
      if (tool.cache === "npm" || tool.cache === "pnpm" || tool.cache === "yarn") w.cache = tool.cache;
      // setup-node's pnpm cache calls `pnpm store path`: pnpm must be installed first.
      const pnpm = tool.cache === "pnpm" && !ctx.jobInstallsPnpm ? [pnpmStep(ctx.facts.package_manager_version ?? "")] : [];
      return [...pnpm, step(ACTION_VERSIONS.setupNode, w)];
    }
    case "pnpm":
      return [pnpmStep(version)];
    case "yarn":
      // Corepack (shipped with Node) provides the yarn that package.json's
      // packageManager names; setup-node's yarn cache needs it enabled first.
      return [{ run: "corepack enable" }];
    case "bun":
      return [step(ACTION_VERSIONS.setupBun, version ? { "bun-version": version } : {})];
    case "python":
      if (version) w["python-version"] = version;
      if (tool.cache === "pip" || tool.cache === "pipenv" || tool.cache === "poetry") w.cache = tool.cache;
      return [step(ACTION_VERSIONS.setupPython, w)];
    case "go":
      if (version) w["go-version"] = version;
      else w["go-version-file"] = "go.mod";
      // setup-go caches modules and the build cache by default; "none" turns that off.
      if (tool.cache === "none") w.cache = false;
      return [step(ACTION_VERSIONS.setupGo, w)];
    case "java":
      // setup-java requires a distribution; Temurin is the vendor-neutral default.
      w.distribution = "temurin";
      w["java-version"] = version || "21";
      if (tool.cache === "maven" || tool.cache === "gradle" || tool.cache === "sbt") w.cache = tool.cache;
      return [step(ACTION_VERSIONS.setupJava, w)];
    default:
      return undefined;
  }
}

function step(uses: string, w: JsonMap): JsonMap {
  return Object.keys(w).length === 0 ? { uses } : { uses, with: w };
}

function pnpmStep(version: string): JsonMap {
  // Without a version pnpm/action-setup reads packageManager from package.json.
  return step(ACTION_VERSIONS.setupPnpm, version ? { version } : {});
}
