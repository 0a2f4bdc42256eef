import { buildJobGraph } from "../../src/graph/index.js";
import { computeSignatures, type RepoState, readRepoState, variantsFromGraph } from "../../src/signatures/index.js";
import { type JobInit, matrix, schemaOf } from "../graph-fixtures.js";

/** A step running `command`. */
export const run = (command: string) => ({ action: { case: "run" as const, value: { command } } });

/**
 * A small project: a build, a matrix test needing it, lint, docs with an exclusion, an audit
 * hashing every file (skippable, no patterns), and a deploy that always runs (no files of its own).
 */
export const JOBS: JobInit[] = [
  { id: "audit", skipIf: { env: ["AUDIT_OFF"] }, steps: [run("npm audit")] },
  { id: "build", packages: ["node"], skipIf: { pathsUnmodified: ["src/**"] }, steps: [run("npm run build")] },
  {
    id: "test",
    needs: ["build"],
    packages: ["ruby"],
    matrix: matrix({ ruby: ["3.2", "3.3"] }),
    skipIf: { pathsUnmodified: ["test/**"] },
    inputs: ["gemfiles/{{ matrix.ruby }}.gemfile"],
    steps: [run("bundle exec rspec")],
  },
  { id: "lint", skipIf: { pathsUnmodified: ["lint/**", "src/**/*.ts"], env: ["LINT_STRICT"] }, steps: [run("lint")] },
  { id: "docs", inputs: ["docs/**", "!docs/drafts/**"], steps: [run("mkdocs build")] },
  { id: "deploy", needs: ["test"], neverSkip: true, steps: [run("deploy")] },
];

export const FACTS = { node_version: "20.11.1", ruby_version: "3.3.0", package_manager: "pnpm", python_version: "3.12" };

/** The files of the project (README and the .gitignore are inputs of audit only). */
export const FILES: Record<string, string> = {
  "src/a.ts": "export const a = 1;\n",
  "src/run.sh": "#!/bin/sh\n",
  "src/win.txt": "one\ntwo\n",
  "src/caf\u00e9.txt": "accent\n",
  "src/with space.txt": "space\n",
  "test/a_spec.rb": "describe\n",
  "gemfiles/3.2.gemfile": "3.2\n",
  "gemfiles/3.3.gemfile": "3.3\n",
  "lint/rules.json": "{}\n",
  "docs/index.md": "# Docs\n",
  "docs/drafts/next.md": "draft\n",
  "README.md": "readme\n",
  ".gitignore": "*.log\n",
};

/** What to vary from the defaults. */
export interface SignOptions {
  jobs?: JobInit[];
  facts?: Record<string, string>;
  env?: Record<string, string | undefined>;
  salt?: string;
  configDir?: string;
  repo?: RepoState;
}

/** Signatures by variant id, computed the way `cig compute-signatures` does. */
export async function sign(root: string, opts: SignOptions = {}) {
  const graph = buildJobGraph(schemaOf(opts.jobs ?? JOBS), opts.facts ?? FACTS);
  if (graph.diagnostics.length > 0) throw new Error(JSON.stringify(graph.diagnostics));
  const repo = opts.repo ?? (await readRepoState(root));
  const computed = await computeSignatures({
    variants: variantsFromGraph(graph.jobs, opts.facts ?? FACTS),
    repo,
    env: opts.env ?? {},
    salt: opts.salt ?? "",
    configDir: opts.configDir ?? root,
  });
  const signatures = Object.fromEntries(computed.results.map((r) => [r.variant, r.signature]));
  return { ...computed, signatures, repo };
}

/** The variant ids whose signatures differ between two runs. */
export function changed(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before)
    .filter((k) => before[k] !== after[k])
    .sort();
}
