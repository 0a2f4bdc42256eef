import type { SetupToolAction } from "@cig/proto";

interface ToolMapping {
  /** Official Docker image repository, when the tool has one that can be a stage's agent. */
  image?: string;
  /** The image tag for a version ("" = the module's "latest"). */
  tag?: (version: string) => string;
  /** mise's name for the tool (https://mise.jdx.dev), which installs it elsewhere. */
  mise: string;
  /** mise's version for a cig version ("" = latest). */
  miseVersion: (version: string) => string;
  /** The command that prints the version, logged where the image provides the tool. */
  check: string;
  /** Display name for the step label. */
  label: string;
}

const latest = (v: string) => v || "latest";
// Version spellings of the setup actions (node "lts/*", python "3.x", go "stable", ruby "ruby") in Docker and mise terms.
const nodeVersion = (v: string) => (v === "" || v === "lts/*" ? "lts" : v.replace(/^lts\//, ""));
const pythonVersion = (v: string) => (v === "" || v === "3.x" ? "3" : v.replace(/\.x$/, ""));
const stable = (v: string) => (v === "" || v === "stable" || v === "ruby" ? "latest" : v);

/** Every tool a setup step may name, with its image and its installer. Documented in docs/providers/jenkins.md. */
export const TOOLS: Readonly<Record<string, ToolMapping>> = {
  node: { image: "node", tag: nodeVersion, mise: "node", miseVersion: nodeVersion, check: "node --version", label: "Node.js" },
  ruby: { image: "ruby", tag: stable, mise: "ruby", miseVersion: stable, check: "ruby --version", label: "Ruby" },
  python: { image: "python", tag: pythonVersion, mise: "python", miseVersion: pythonVersion, check: "python --version", label: "Python" },
  go: { image: "golang", tag: stable, mise: "go", miseVersion: stable, check: "go version", label: "Go" },
  java: {
    image: "eclipse-temurin",
    tag: (v) => v || "21",
    mise: "java",
    miseVersion: (v) => `temurin-${v || "21"}`,
    check: "java -version",
    label: "Java",
  },
  bun: { image: "oven/bun", tag: latest, mise: "bun", miseVersion: latest, check: "bun --version", label: "Bun" },
  pnpm: { mise: "pnpm", miseVersion: latest, check: "pnpm --version", label: "pnpm" },
  yarn: { mise: "yarn", miseVersion: latest, check: "yarn --version", label: "Yarn" },
};

// A Docker tag: what `image:tag` may hold after the colon.
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** The official image for a setup step (`node:20`), or undefined when it has none or the version is no valid tag. */
export function toolImage(tool: SetupToolAction): string | undefined {
  const m = TOOLS[tool.tool];
  if (!m?.image || !m.tag) return undefined;
  const tag = m.tag(tool.version);
  return DOCKER_TAG.test(tag) ? `${m.image}:${tag}` : undefined;
}

/** Where mise keeps tools: inside the workspace, which Jenkins mounts at the same path in containers. */
export const MISE_DATA_DIR = ".cig/mise";

/** `MISE_<TOOL>_VERSION`, which pins the tool's version for mise without a config file in the repository. */
export function miseVersionVariable(tool: SetupToolAction): { name: string; value: string } | undefined {
  const m = TOOLS[tool.tool];
  if (!m) return undefined;
  return { name: `MISE_${m.mise.toUpperCase()}_VERSION`, value: m.miseVersion(tool.version) };
}

/**
 * The shell script of a provider-added setup step. `fromImage`: the stage's
 * image provides the tool, so the script only logs its version. Otherwise it
 * installs mise into the workspace once and the tool with it (the version
 * comes from MISE_<TOOL>_VERSION, set for the whole stage). Ruby with the
 * bundler cache also installs the bundle, as setup-ruby's bundler-cache does
 * (lang/ruby adds no install step of its own then).
 */
export function setupScript(tool: SetupToolAction, fromImage: boolean): string {
  const m = TOOLS[tool.tool];
  if (!m) return "";
  const lines = fromImage
    ? [m.check]
    : [
        'if [ ! -x "$MISE_DATA_DIR/bin/mise" ]; then',
        '  curl -fsSL https://mise.run | MISE_INSTALL_PATH="$MISE_DATA_DIR/bin/mise" sh',
        "fi",
        `"$MISE_DATA_DIR/bin/mise" install ${m.mise}`,
        m.check,
      ];
  if (tool.tool === "ruby" && tool.cache === "bundler") lines.push("bundle config set --local path vendor/bundle", "bundle install");
  return lines.join("\n");
}

/** The step label of a setup step without a name of its own. */
export function setupLabel(tool: SetupToolAction): string {
  return `Set up ${TOOLS[tool.tool]?.label ?? tool.tool}`;
}
