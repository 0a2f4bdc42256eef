/** One plugin's detect reply, as `cig init` uses it. */
export interface InitDetection {
  plugin: string;
  capabilities: readonly string[];
  facts: Record<string, string>;
  confidence: number;
  summary: string;
}

/** What the generated cig.toml is made of. */
export interface InitPlan {
  projectName: string;
  /** The `#:schema` value, relative to cig.toml; `schemaNote` says why this one. */
  schema: string;
  schemaNote: string;
  /** One job per stack (a `lang/` module); `services` are `db/` modules. */
  stacks: Array<{ plugin: string; pkg: string; command: string; note: string; summary: string }>;
  services: Array<{ plugin: string; name: string }>;
}

/** What init knows about the repository besides detections. */
export interface RepoHints {
  hasPath(prefix: string): boolean;
  /** package.json has a "test" script. */
  nodeTestScript: boolean;
}

const DOCS = "docs/cig-toml.md";

/** The stacks and services of enabled detections (confidence ≥ 0.5), by plugin name. */
export function planStacks(detections: readonly InitDetection[], repo: RepoHints): Pick<InitPlan, "stacks" | "services"> {
  const stacks: InitPlan["stacks"] = [];
  const services: InitPlan["services"] = [];
  for (const d of detections) {
    const [ns, base = d.plugin] = d.plugin.split("/");
    if (ns === "db") services.push({ plugin: d.plugin, name: capability(d, "service") ?? base });
    if (ns !== "lang") continue;
    const pkg = capability(d, "package") ?? base;
    if (stacks.some((s) => s.pkg === pkg)) continue;
    stacks.push({ plugin: d.plugin, pkg, summary: d.summary, ...testCommand(pkg, d.facts, repo) });
  }
  return { stacks, services };
}

function capability(d: InitDetection, kind: string): string | undefined {
  return d.capabilities.find((c) => c.startsWith(`${kind}:`))?.slice(kind.length + 1);
}

/** A plausible test command per toolchain; anything else gets a placeholder to replace. */
function testCommand(pkg: string, facts: Record<string, string>, repo: RepoHints): { command: string; note: string } {
  switch (pkg) {
    case "node": {
      const pm = facts.package_manager ?? "npm";
      // `bun test` is bun's own test runner, not the package.json script.
      const command = pm === "bun" ? "bun run test" : `${pm} test`;
      return { command, note: repo.nodeTestScript ? "" : 'package.json has no "test" script yet: add one, or change this command' };
    }
    case "ruby":
      return repo.hasPath("spec/") ? { command: "bundle exec rspec", note: "" } : { command: "bundle exec rake test", note: "" };
    case "python": {
      // Poetry, uv and Pipenv install into their own environment; run pytest in it.
      const pm = facts.python_package_manager ?? "";
      return { command: ["poetry", "uv", "pipenv"].includes(pm) ? `${pm} run pytest` : "pytest", note: "" };
    }
    case "go":
      return { command: "go test ./...", note: "" };
    default:
      return { command: `echo "TODO: the ${pkg} test command"`, note: `TODO: replace with the command that tests the ${pkg} code` };
  }
}

/** A TOML basic string (JSON's escapes are TOML's, except DEL, which TOML wants escaped). */
function str(s: string): string {
  return JSON.stringify(s).replaceAll("\u007f", "\\u007F");
}

const list = (xs: readonly string[]) => `[${xs.map(str).join(", ")}]`;
const jobId = (pkg: string) => pkg.replace(/[^A-Za-z0-9_-]/g, "-");

/** The commented cig.toml `cig init` writes. Every section says what it is for and where it is documented. */
export function renderInitToml(plan: InitPlan): string {
  const { stacks, services } = plan;
  const found = [
    ...stacks.map((s) => `${s.summary.replace(/ detected\b/, "") || s.pkg} (${s.plugin})`),
    ...services.map((s) => `${s.name} (${s.plugin})`),
  ];
  const out = [
    `#:schema ${plan.schema}`,
    "# cig.toml: what CI does, written once for every CI platform. `cig plan` shows what",
    "# `cig render` would write; `cig render` writes it. Every key is documented in cig's",
    `# ${DOCS}.`,
    "#",
    `# Written by \`cig init\` from ${found.length > 0 ? `what it detected: ${found.join(", ")}` : "a repository where it detected nothing"}.`,
    "# The #:schema line lets editors (Taplo, Even Better TOML) complete and check this file.",
    ...plan.schemaNote.split("\n").map((l) => `# ${l}`),
    "",
    `# The format version of this file (${DOCS}#version).`,
    'version = "0.2"',
    "",
    "# The project: `name` is shown in generated headers; jobs without `runner` run on",
    `# \`default_runner\` (${DOCS}#project).`,
    "[project]",
    `name = ${str(plan.projectName)}`,
    'default_runner = "linux"',
    "",
    "# Named machines, described once per CI platform in its own keys; add `circleci = { ... }`",
    `# and so on when you render for more platforms (${DOCS}#runnersname).`,
    "[runners.linux]",
    'github = { runs-on = "ubuntu-latest" }',
    "",
  ];
  if (stacks.length > 0) {
    out.push(
      "# Jobs, one per detected stack. `packages` makes the matching module set the toolchain up",
      "# (install, dependencies, caches) before `steps`; `services` start containers beside the job,",
      "# defined by their db/ module. Add `needs`, `matrix`, `caches`, `timeout`, ... as CI grows",
      `# (${DOCS}#jobsid).`,
    );
    // Databases serve the server-side stacks; a Node-only project gets them on its one job.
    const backend = stacks.some((s) => s.pkg !== "node");
    for (const s of stacks) {
      const id = stacks.length === 1 ? "test" : `test-${jobId(s.pkg)}`;
      out.push(`[jobs.${id}]`, `packages = ${list([s.pkg])}   # set up by ${s.plugin}`);
      if (services.length > 0 && (!backend || s.pkg !== "node"))
        out.push(`services = ${list(services.map((v) => v.name))}   # by ${services.map((v) => v.plugin).join(", ")}`);
      if (s.note) out.push(`# ${s.note}`);
      out.push(`steps = [{ run = ${str(s.command)} }]`, "");
    }
  } else {
    out.push(
      "# Jobs. cig detected no toolchain, so this one is a skeleton: list your toolchains in",
      '# `packages` (e.g. ["node"], ["ruby"], ["python"], ["go"]) so their modules set them up, and',
      `# put your build and test commands in \`steps\` (${DOCS}#jobsid).`,
      "[jobs.test]",
      '# packages = ["node"]',
      ...(services.length > 0
        ? [`services = ${list(services.map((v) => v.name))}   # by ${services.map((v) => v.plugin).join(", ")}`]
        : []),
      'steps = [{ run = "echo \\"TODO: your build and test commands\\"" }]',
      "",
    );
  }
  out.push(
    '# The files cig renders, one [[outputs]] table each. Add one with provider = "circleci",',
    `# "gitlab", ... to render for another CI platform from this same file (${DOCS}#outputs).`,
    "[[outputs]]",
    'provider = "github"',
    'path = ".github/workflows/ci.yml"',
    'description = "CI"',
    "",
    "# When CI runs. Without [on]: on pushes to main and on every pull request (uncomment to",
    `# change it; ${DOCS}#on-triggers).`,
    "# [on]",
    '# push = { branches = ["main"] }',
    "# pull_request = true",
  );
  return `${out.join("\n")}\n`;
}
