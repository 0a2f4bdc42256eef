import type { SetupToolAction } from "@cig/proto";
import type { JsonMap } from "@cig/sdk";

/** Tools with a mapping; anything else is a PROVIDER_GITLAB_UNKNOWN_TOOL error. */
export const SETUP_TOOLS = ["ruby", "python", "go", "java", "bun", "node", "pnpm", "yarn"] as const;

// Tools that come as the job's image (official Docker Hub images), in the
// order one is picked when a job sets up several: Node last, because it is
// the one cig can add to another Debian-based image (NodeSource packages).
const IMAGE_TOOLS = ["ruby", "python", "go", "java", "bun", "node"] as const;

/** What a job's setup steps add to it. */
export interface ToolSetup {
  /** The job image, or "" (the runner's default image). */
  image: string;
  /** Lines for `before_script`, in the order they must run. */
  beforeScript: string[];
  /** Job variables the tools' caches need. */
  variables: Record<string, string>;
  /** Dependency caches, as `cache:` entries. */
  caches: JsonMap[];
  /** Image tools the chosen image does not provide and cig cannot add: [tool, version]. */
  missing: Array<[string, string]>;
}

/** Facts the mapping reads: the lockfile a Python cache is keyed on. */
export type Facts = Readonly<Record<string, string>>;

/**
 * The image, `before_script` lines, variables and caches for a job's
 * setup_tool steps (docs/providers/gitlab.md#setup-tools). `runnerImage`
 * (the runner or job table's `image`) replaces the tools' images: cig then
 * trusts it to have the tools and only adds what runs inside it (Corepack,
 * caches, `bundle install`).
 */
export function renderSetupTools(tools: readonly SetupToolAction[], runnerImage: boolean, facts: Facts): ToolSetup {
  const out: ToolSetup = { image: "", beforeScript: [], variables: {}, caches: [], missing: [] };
  const first = new Map<string, SetupToolAction>();
  for (const t of tools) if (!first.has(t.tool)) first.set(t.tool, t);
  const primary = runnerImage ? undefined : IMAGE_TOOLS.find((t) => first.has(t));
  if (primary) out.image = imageOf(first.get(primary) as SetupToolAction);

  const install: string[] = [];
  const managers: string[] = [];
  const deps: string[] = [];
  for (const t of tools) {
    if (!runnerImage && t.tool !== primary && (IMAGE_TOOLS as readonly string[]).includes(t.tool)) {
      if (t.tool === "node") install.push(...nodeSource(t.version));
      else out.missing.push([t.tool, t.version]);
    }
    switch (t.tool) {
      case "node":
        nodeCache(t, out, deps);
        break;
      case "pnpm":
      case "yarn":
        // Corepack ships with Node (up to 24) and installs the package manager package.json names.
        if (!managers.includes("corepack enable")) managers.push("corepack enable");
        if (t.version) managers.push(`corepack prepare ${t.tool}@${t.version} --activate`);
        break;
      case "ruby":
        if (t.cache === "bundler") {
          // setup-ruby's bundler-cache runs `bundle install`; lang/ruby adds no install step for it.
          out.variables.BUNDLE_PATH = "vendor/bundle";
          deps.push("bundle install");
          out.caches.push(cacheEntry(`bundler-ruby${imageTag(t)}`, ["Gemfile.lock"], ["vendor/bundle"]));
        }
        break;
      case "python":
        pythonCache(t, out, facts);
        break;
      case "go":
        if (t.cache !== "none") {
          out.variables.GOMODCACHE = "$CI_PROJECT_DIR/.cache/go-mod";
          out.variables.GOCACHE = "$CI_PROJECT_DIR/.cache/go-build";
          out.caches.push(cacheEntry("go", ["go.sum"], [".cache/go-mod", ".cache/go-build"]));
        }
        break;
      default:
        break;
    }
  }
  out.beforeScript = [...install, ...managers, ...deps];
  return out;
}

/** The official image for an image tool at the step's version. */
export function imageOf(t: SetupToolAction): string {
  const repo = { ruby: "ruby", python: "python", go: "golang", java: "eclipse-temurin", bun: "oven/bun", node: "node" }[t.tool] ?? t.tool;
  return `${repo}:${imageTag(t)}`;
}

// The setup actions' version spellings ("3.x", "stable", "lts/*", "ruby") as image tags.
function imageTag(t: SetupToolAction): string {
  const v = t.version.trim();
  if (t.tool === "java") return v || "21";
  if (t.tool === "node") {
    if (v === "" || v === "lts/*") return "lts";
    if (v === "node" || v === "latest" || v === "current") return "current";
    if (v.startsWith("lts/")) return v.slice(4);
  }
  if (v === "" || v === "latest" || v === "stable" || v === t.tool) return "latest";
  if (/^\d+\.x$/.test(v)) return v.slice(0, -2);
  return v.replace(/^v(?=\d)/, "");
}

// Node on another Debian-based image: NodeSource's packages, by major version.
function nodeSource(version: string): string[] {
  const v = version.trim().replace(/^v/, "");
  const major = /^\d+/.exec(v)?.[0] ?? (v === "" || v.startsWith("lts") ? "lts" : "current");
  return [`curl -fsSL https://deb.nodesource.com/setup_${major}.x | bash -`, "apt-get install -y --no-install-recommends nodejs"];
}

function nodeCache(t: SetupToolAction, out: ToolSetup, deps: string[]): void {
  if (t.cache === "npm") {
    out.variables.npm_config_cache = "$CI_PROJECT_DIR/.npm";
    out.caches.push(cacheEntry("npm", ["package-lock.json"], [".npm"]));
  } else if (t.cache === "pnpm") {
    deps.push("pnpm config set store-dir .pnpm-store");
    out.caches.push(cacheEntry("pnpm", ["pnpm-lock.yaml"], [".pnpm-store"]));
  } else if (t.cache === "yarn") {
    // Yarn 1 and Yarn 2+ both read YARN_CACHE_FOLDER; Yarn 2+ only uses it without its global cache.
    out.variables.YARN_CACHE_FOLDER = "$CI_PROJECT_DIR/.yarn-cache";
    out.variables.YARN_ENABLE_GLOBAL_CACHE = "false";
    out.caches.push(cacheEntry("yarn", ["yarn.lock"], [".yarn-cache"]));
  }
}

function pythonCache(t: SetupToolAction, out: ToolSetup, facts: Facts): void {
  const dirs: Record<string, [string, string]> = {
    pip: ["PIP_CACHE_DIR", ".cache/pip"],
    poetry: ["POETRY_CACHE_DIR", ".cache/pypoetry"],
    pipenv: ["PIPENV_CACHE_DIR", ".cache/pipenv"],
  };
  const dir = dirs[t.cache];
  if (!dir) return;
  out.variables[dir[0]] = `$CI_PROJECT_DIR/${dir[1]}`;
  const file = facts.python_dependency_file ?? "";
  out.caches.push(cacheEntry(`${t.cache}-python${imageTag(t)}`, file ? [file] : [], [dir[1]]));
}

function cacheEntry(prefix: string, files: string[], paths: string[]): JsonMap {
  const key = files.length > 0 ? { files, prefix } : prefix;
  return { key, paths };
}
