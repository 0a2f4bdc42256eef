import type { SetupToolAction } from "@cig/proto";

/** Tools with a mapping; anything else is PROVIDER_CIRCLECI_UNKNOWN_TOOL. */
export const SETUP_TOOLS = ["ruby", "python", "go", "java", "node", "pnpm", "yarn", "bun"] as const;

/**
 * CircleCI's convenience images (`cimg/…`) per language, in the order that
 * decides which one a job with several languages runs in: the first one set
 * up wins, and Node.js rides along through the image's `-node` variant
 * (`cimg/ruby:3.3-node`), which all of these have. Node.js alone gets
 * `cimg/node`.
 */
const IMAGES: ReadonlyArray<{ tool: string; repo: string; fallback: string }> = [
  { tool: "ruby", repo: "cimg/ruby", fallback: "3.4" },
  { tool: "python", repo: "cimg/python", fallback: "3.13" },
  { tool: "go", repo: "cimg/go", fallback: "1.24" },
  { tool: "java", repo: "cimg/openjdk", fallback: "21.0" },
  { tool: "node", repo: "cimg/node", fallback: "lts" },
];

/** The primary image of a job that sets up no tool CircleCI has an image for. */
export const DEFAULT_IMAGE = "cimg/base:current";

/** The primary image for a job's setup steps, and the tools it provides. */
export function primaryImage(tools: ReadonlyArray<Pick<SetupToolAction, "tool" | "version">>): { image: string; provides: Set<string> } {
  const byTool = new Map(tools.map((t) => [t.tool, t]));
  const main = IMAGES.find((i) => byTool.has(i.tool));
  if (!main) return { image: DEFAULT_IMAGE, provides: new Set() };
  const tag = imageTag(main.tool, byTool.get(main.tool)?.version ?? "", main.fallback);
  if (main.tool !== "node" && byTool.has("node")) return { image: `${main.repo}:${tag}-node`, provides: new Set([main.tool, "node"]) };
  return { image: `${main.repo}:${tag}`, provides: new Set([main.tool]) };
}

// A cimg tag: a version as written ("3.3", "3.3.0", "20.11.1"), or the
// documented fallback for the version aliases modules use when nothing was
// detected ("ruby", "3.x", "stable", "lts/*"). A `<< parameters.x >>`
// reference (a matrix axis) is kept: CircleCI fills it in per variant.
function imageTag(tool: string, version: string, fallback: string): string {
  const v = version.replace(/^v(?=\d)/, "");
  if (v.includes("<<")) return v;
  if (tool === "node") {
    if (v === "current" || v === "latest" || v === "node") return "current";
    return /^\d+(\.\d+){0,2}$/.test(v) ? v : fallback;
  }
  // cimg/openjdk tags have a minor part: "21" → "21.0".
  if (tool === "java" && /^\d+$/.test(v)) return `${v}.0`;
  return /^\d+(\.\d+){1,2}$/.test(v) ? v : fallback;
}

/**
 * Shell lines that install `tool` on a machine this provider did not pick
 * (a runner's own docker image, `machine` or `macos`), or undefined when
 * there is no installer to call. The version managers are the ones
 * CircleCI's machine images ship (nvm, rbenv, pyenv); Go comes from go.dev
 * (a full version such as 1.22.5); pnpm and yarn come from Corepack, which
 * reads package.json's packageManager when no version is given. Lines that
 * append to $BASH_ENV make the tool visible to the job's later steps.
 */
export function installLines(tool: SetupToolAction): string[] | undefined {
  const v = tool.version;
  switch (tool.tool) {
    case "node":
      return [`nvm install ${v || "--lts"}`, `nvm alias default ${v || "lts/*"}`, `echo 'nvm use default >/dev/null' >> "$BASH_ENV"`];
    case "ruby":
      return v ? [`rbenv install --skip-existing ${v}`, `rbenv global ${v}`] : undefined;
    case "python":
      return v ? [`pyenv install --skip-existing ${v}`, `pyenv global ${v}`] : undefined;
    case "go":
      return v
        ? [
            `curl -fsSL "https://go.dev/dl/go${v}.linux-$(dpkg --print-architecture).tar.gz" | sudo tar -C /usr/local -xz`,
            `echo 'export PATH=/usr/local/go/bin:$PATH' >> "$BASH_ENV"`,
          ]
        : undefined;
    case "pnpm":
    case "yarn":
      return corepack(tool.tool, v);
    case "bun":
      return [
        `curl -fsSL https://bun.sh/install | bash${v ? ` -s "bun-v${v}"` : ""}`,
        `echo 'export PATH="$HOME/.bun/bin:$PATH"' >> "$BASH_ENV"`,
      ];
    default:
      return undefined;
  }
}

// Corepack ships with Node.js; enabling it may need root where Node.js is
// installed system-wide (cimg/node), hence the sudo fallback.
function corepack(pm: string, version: string): string[] {
  return [
    "corepack enable 2>/dev/null || sudo corepack enable",
    `echo 'export COREPACK_ENABLE_DOWNLOAD_PROMPT=0' >> "$BASH_ENV"`,
    ...(version ? [`corepack prepare ${pm}@${version} --activate`] : []),
  ];
}
