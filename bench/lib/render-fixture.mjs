// Repositories for the render bench: a generated cig.toml (N jobs, each a
// matrix of exactly 5 variants) and a typical small project, plus the files
// the std modules detect. Also checks a rendered workflow, so that a broken
// render cannot pass for a fast one.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const VARIANTS_PER_JOB = 5;
export const WORKFLOW = ".github/workflows/ci.yml";

/** Files the std modules detect, by package (lang/<x>). */
const DETECT_FILES = {
  node: {
    "package.json": `${JSON.stringify(
      { name: "bench-app", private: true, packageManager: "pnpm@9.15.0", engines: { node: ">=20" }, scripts: { test: "node --test" } },
      null,
      2,
    )}\n`,
    ".nvmrc": "20.11.1\n",
    "pnpm-lock.yaml":
      "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .: {}\n",
    "src/index.js": 'console.log("hello");\n',
  },
  ruby: {
    ".ruby-version": "3.3.0\n",
    Gemfile: 'source "https://rubygems.org"\n\nruby "3.3.0"\ngem "rails", "~> 7.1"\ngem "pg"\ngem "redis"\n',
    "Gemfile.lock":
      "GEM\n  remote: https://rubygems.org/\n  specs:\n    pg (1.5.4)\n    rails (7.1.3)\n    redis (5.1.0)\n\nPLATFORMS\n  x86_64-linux\n\nDEPENDENCIES\n  pg\n  rails (~> 7.1)\n  redis\n\nRUBY VERSION\n   ruby 3.3.0p0\n\nBUNDLED WITH\n   2.5.3\n",
  },
  python: {
    ".python-version": "3.12\n",
    "pyproject.toml": '[project]\nname = "bench-app"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n',
  },
  go: { "go.mod": "module example.com/bench\n\ngo 1.22\n" },
};

/** The modules a typical project uses: a Node web app with Postgres and Redis, as far as they are registered. */
export const TYPICAL_MODULES = ["lang/node", "db/postgres", "db/redis"];

/** Std plugin names → what cig.toml says to use them: lang/<x> → packages "<x>", db/<x> → services "<x>". */
export function moduleUses(pluginNames) {
  const langs = pluginNames.filter((n) => n.startsWith("lang/")).map((n) => n.slice("lang/".length));
  const dbs = pluginNames.filter((n) => n.startsWith("db/")).map((n) => n.slice("db/".length));
  return { langs, dbs };
}

const q = (s) => JSON.stringify(s);
const list = (xs) => `[${xs.map(q).join(", ")}]`;

const HEADER = (name) => `version = "0.2"

[project]
name = ${q(name)}
default_runner = "linux"

[variables]
REPORTER = "dot"

[on.push]
branches = ["main"]

[on.pull_request]

[permissions]
contents = "read"

[concurrency]
group = "ci-\${{ github.ref }}"
cancel_in_progress = true

[runners.linux]
github = { runs-on = "ubuntu-24.04" }

[runners.large]
github = { runs-on = "ubuntu-24.04-8core" }

[caches.build]
paths = [".cache/build"]
key_parts = ["pnpm-lock.yaml", "node:{{ node_version }}"]
`;

// Four job shapes, each a matrix of exactly VARIANTS_PER_JOB variants (cross
// product with exclude, a plain axis, cross product with include, one axis
// with a service), used in turn.
const SHAPES = [
  {
    matrix: '{ node = ["18", "20", "22"], os = ["ubuntu", "macos"], exclude = [{ node = "18", os = "macos" }] }',
    extra: 'caches = ["build"]\ntimeout = 20\n',
    steps: (id) => [
      `{ name = "Unit tests ({{ matrix.os }})", id = "unit", run = "pnpm --filter ${id} test -- --reporter {{ REPORTER }}" }`,
      `{ name = "Upload coverage", if = "\${{ always() }}", uses = "actions/upload-artifact@v4", with = { name = "coverage-${id}-{{ matrix.node }}-{{ matrix.os }}", path = "coverage/" } }`,
    ],
  },
  {
    matrix: '{ shard = ["1", "2", "3", "4", "5"] }',
    extra: 'runner = "large"\nenv = { SHARD_TOTAL = "5", CI_REPORTER = "{{ REPORTER }}" }\n',
    steps: (id) => [`{ name = "Shard {{ matrix.shard }}", run = "pnpm --filter ${id} test -- --shard={{ matrix.shard }}/5" }`],
  },
  {
    matrix: '{ node = ["20", "22"], os = ["ubuntu", "windows"], include = [{ node = "23", os = "ubuntu" }] }',
    extra: "",
    steps: (id) => [
      `{ run = "pnpm --filter ${id} build" }`,
      `{ name = "Smoke test on {{ matrix.os }}", run = "node packages/${id}/dist/cli.js --version", env = { NODE_VERSION = "{{ matrix.node }}" } }`,
    ],
  },
  {
    matrix: '{ pg = ["13", "14", "15", "16", "17"] }',
    extra:
      'services = { postgres = { image = "postgres:16", env = { POSTGRES_PASSWORD = "postgres" }, ports = [5432], health = { command = "pg_isready -U postgres", interval = 10, timeout = 5, retries = 5 } } }\nenv = { DATABASE_URL = "postgres://postgres:postgres@localhost:5432/test" }\n',
    steps: (id) => [`{ name = "Integration (pg {{ matrix.pg }})", run = "pnpm --filter ${id} test:integration" }`],
  },
];

const jobId = (i) => `pkg${String(i).padStart(4, "0")}`;

/** needs of job i: a tree of fan-out 4 (depth log4 N), and every 10th job also its predecessor. */
function needsOf(i) {
  if (i === 0) return [];
  const parent = Math.floor((i - 1) / 4);
  const needs = [jobId(parent)];
  if (i % 10 === 0 && i - 1 !== parent) needs.push(jobId(i - 1));
  return needs;
}

/** cig.toml with `jobs` jobs of VARIANTS_PER_JOB variants each, every job with packages = ["node"]. */
export function bigConfig(jobs) {
  const out = [HEADER(`bench-${jobs}`)];
  for (let i = 0; i < jobs; i++) {
    const id = jobId(i);
    const shape = SHAPES[i % SHAPES.length];
    const needs = needsOf(i);
    out.push(`[jobs.${id}]
${needs.length > 0 ? `needs = ${list(needs)}\n` : ""}packages = ["node"]
matrix = ${shape.matrix}
${shape.extra}steps = [
  ${shape.steps(id).join(",\n  ")},
]
`);
  }
  return out.join("\n");
}

/**
 * A typical project: lint, a test matrix (3 × 2 − 1), build and deploy;
 * those of TYPICAL_MODULES that are registered in `packages` (lang/<x>) and
 * `services` (db/<x>). Returns the config and what a correct render must contain.
 */
export function typicalConfig(pluginNames) {
  const { langs, dbs } = moduleUses(pluginNames.filter((n) => TYPICAL_MODULES.includes(n)));
  const services = dbs.length > 0 ? `services = ${list(dbs)}\n` : "";
  const config = `${HEADER("typical-app")}
[jobs.lint]
packages = ${list(langs)}
steps = [{ run = "pnpm lint" }]

[jobs.test]
needs = ["lint"]
packages = ${list(langs)}
${services}caches = ["build"]
timeout = 20
matrix = { node = ["18", "20", "22"], os = ["ubuntu", "macos"], exclude = [{ node = "18", os = "macos" }] }
env = { CI_REPORTER = "{{ REPORTER }}" }
steps = [
  { name = "Unit tests ({{ matrix.os }})", id = "unit", run = "pnpm test -- --reporter {{ REPORTER }}" },
  { name = "Upload coverage", if = "\${{ always() }}", uses = "actions/upload-artifact@v4", with = { name = "coverage-{{ matrix.node }}", path = "coverage/" } },
]

[jobs.build]
needs = ["lint"]
packages = ${list(langs)}
steps = [{ run = "pnpm build" }, { uses = "actions/upload-artifact@v4", with = { name = "dist", path = "dist/" } }]

[jobs.deploy]
needs = ["test", "build"]
runner = "large"
if = "github.ref == 'refs/heads/main'"
github = { environment = "production" }
steps = [{ run = "bin/deploy", timeout = 10 }]
`;
  return { config, jobs: ["lint", "test", "build", "deploy"], variants: 1 + 5 + 1 + 1, langs, dbs };
}

/** A fresh temporary repository with `config` as cig.toml and the files the modules of `langs` detect. */
export function makeRepo(config, label, langs = ["node"]) {
  const dir = mkdtempSync(join(tmpdir(), `cig-bench-render-${label}-`));
  for (const [path, text] of langs.flatMap((l) => Object.entries(DETECT_FILES[l] ?? {}))) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, "cig.toml"), config);
  return dir;
}

let yamlParse;
function parseYaml(text) {
  if (!yamlParse) {
    // The yaml package provider/github itself uses (bench/ has no dependencies of its own).
    const require = createRequire(join(ROOT, "plugins-std/provider-github/package.json"));
    yamlParse = require("yaml").parse;
  }
  return yamlParse(text);
}

/**
 * Checks the workflow `dir` holds after a render: it exists, parses as YAML,
 * and has exactly the expected jobs, each with the expected matrix size,
 * needs, and the steps lang/node contributes. Throws on the first mismatch.
 * `expect`: { jobs: [{ id, cells, needs }], nodeSteps: boolean }.
 */
export function checkWorkflow(dir, expect) {
  let text;
  try {
    text = readFileSync(join(dir, WORKFLOW), "utf8");
  } catch {
    throw new Error(`render check: ${WORKFLOW} was not written in ${dir}`);
  }
  const wf = parseYaml(text);
  const jobs = wf?.jobs ?? {};
  const ids = Object.keys(jobs);
  if (ids.length !== expect.jobs.length) {
    throw new Error(`render check: ${ids.length} jobs in ${WORKFLOW}, expected ${expect.jobs.length}`);
  }
  let cells = 0;
  for (const e of expect.jobs) {
    const j = jobs[e.id];
    if (!j) throw new Error(`render check: job ${e.id} missing from ${WORKFLOW}`);
    const n = matrixCells(j.strategy?.matrix);
    if (n !== e.cells) throw new Error(`render check: job ${e.id} has ${n} matrix cells, expected ${e.cells}`);
    cells += n;
    const needs = j.needs === undefined ? [] : Array.isArray(j.needs) ? j.needs : [j.needs];
    if (needs.join(",") !== e.needs.join(",")) throw new Error(`render check: job ${e.id} needs [${needs}], expected [${e.needs}]`);
    if (expect.nodeSteps && e.node !== false && !j.steps?.some((s) => s.uses?.startsWith("actions/setup-node@"))) {
      throw new Error(`render check: job ${e.id} lacks the setup-node step lang/node contributes`);
    }
  }
  return { jobs: ids.length, cells, bytes: Buffer.byteLength(text), lines: text.split("\n").length - 1 };
}

/** Cells of a GitHub strategy.matrix (1 without one): cross product, minus excludes, plus unmatched includes. */
function matrixCells(m) {
  if (!m) return 1;
  const axes = Object.keys(m).filter((k) => k !== "include" && k !== "exclude");
  let combos = [{}];
  for (const a of axes) combos = combos.flatMap((c) => m[a].map((v) => ({ ...c, [a]: String(v) })));
  const matches = (c, t) => Object.entries(t).every(([k, v]) => c[k] === String(v));
  combos = combos.filter((c) => !(m.exclude ?? []).some((x) => matches(c, x)));
  let extra = 0;
  for (const inc of m.include ?? []) {
    const onAxes = Object.fromEntries(Object.entries(inc).filter(([k]) => axes.includes(k)));
    if (!combos.some((c) => matches(c, onAxes) && Object.keys(onAxes).length === axes.length)) extra++;
  }
  return combos.length + extra;
}

/** What the big config must render to: one grouped GitHub job per cig.toml job. */
export function bigExpectation(jobs) {
  return {
    nodeSteps: true,
    jobs: Array.from({ length: jobs }, (_, i) => ({ id: jobId(i), cells: VARIANTS_PER_JOB, needs: needsOf(i) })),
  };
}

/** What the typical config must render to. */
export function typicalExpectation(t) {
  return {
    nodeSteps: t.langs.includes("node"),
    jobs: [
      { id: "lint", cells: 1, needs: [] },
      { id: "test", cells: 5, needs: ["lint"] },
      { id: "build", cells: 1, needs: ["lint"] },
      { id: "deploy", cells: 1, needs: ["test", "build"], node: false },
    ],
  };
}
