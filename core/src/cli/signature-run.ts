import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { create } from "@bufbuild/protobuf";
import {
  type Diagnostic,
  Diagnostic_Level,
  DiagnosticSchema,
  JobDecisionSchema,
  type SkipDecisions,
  SkipDecisionsSchema,
} from "@cig/proto";
import { CigError } from "../errors/cig-error.js";
import type { PipelineResult } from "../pipeline/pipeline-types.js";
import { runPipeline } from "../pipeline/run-pipeline.js";
import type { ModuleProvides } from "../pipeline/select-plugins.js";
import {
  type ComputedSignatures,
  computeSignatures,
  createDirStore,
  currentBranch,
  type Decision,
  type DirStore,
  decide,
  forcedIds,
  loadBlake3,
  type RepoState,
  readRepoState,
  variantsFromGraph,
} from "../signatures/index.js";
import type { CliContext } from "./cli-context.js";
import { projectPlugins, stdModuleProvides } from "./std-plugins.js";

/** Options shared by compute-signatures, record-pass and explain. */
export interface SignatureRunOptions {
  config?: string;
  /** `dir:PATH`: the pass store; default CIG_PASS_STORE, then [signatures] store_dir. */
  store?: string;
  /** The branch for skip_if.branch; default from CI env or git. */
  branch?: string;
  /** Render this provider with the decisions (run-time pipelines). */
  render?: string;
}

/** Everything one signature run learned. */
export interface SignatureRun {
  pipeline: PipelineResult;
  repo: RepoState;
  computed: ComputedSignatures;
  decisions: Decision[];
  store: DirStore;
  branch: string | undefined;
  /** Core and plugin diagnostics plus the signature warnings. */
  diagnostics: Diagnostic[];
}

/**
 * detect → plan (modules only, unless `render` asks for a provider), then
 * the signatures of every variant and the run/skip decisions against the
 * pass store. With `render`, the provider then generates with those
 * decisions. The repository is read while the plugins start.
 */
export async function runSignatures(ctx: CliContext, opts: SignatureRunOptions): Promise<SignatureRun | PipelineResult> {
  const env = process.env;
  const repoRead = readRepoState(ctx.cwd);
  // Awaited below; until then a failure must not count as unhandled.
  repoRead.catch(() => {});
  let run: Omit<SignatureRun, "pipeline"> | undefined;
  const decideFor = (planned: PipelineResult) => signaturesOf(ctx.cwd, planned, opts, repoRead);
  const config = opts.config ?? env.CIG_CONFIG;
  const pipeline = await runPipeline({
    cwd: ctx.cwd,
    ...(config ? { configPath: config } : {}),
    host: ctx.hostOptions,
    ...(await projectPlugins(ctx.cwd, config).then((p) => ({ stdPlugins: p.commands, moduleManifests: p.manifests }))),
    stdModules: stdModuleProvides(),
    ...(opts.render
      ? {
          providers: [opts.render],
          decide: async (planned) => {
            run = await decideFor(planned);
            return toSkipDecisions(run.decisions);
          },
        }
      : { stopAfter: "plan" as const }),
  });
  if (pipeline.failed) return pipeline;
  run ??= await decideFor(pipeline);
  return { ...run, pipeline, diagnostics: [...pipeline.diagnostics, ...run.diagnostics] };
}

/**
 * The signatures and decisions of a planned graph (the pipeline ran at least
 * to plan). `repoRead` is the repository state, when already being read.
 */
export async function signaturesOf(
  cwd: string,
  planned: PipelineResult,
  opts: SignatureRunOptions,
  repoRead: Promise<RepoState> = readRepoState(cwd),
): Promise<Omit<SignatureRun, "pipeline">> {
  const env = process.env;
  const settings = planned.schema?.signatures;
  // Load the hash function while git may still be reading the repository (~15–30 ms of module loading).
  loadBlake3().catch(() => {});
  const read = await repoRead;
  const store = createDirStore(storeDir(opts.store ?? env.CIG_PASS_STORE, settings?.storeDir ?? ".cig/passes", read.root));
  const repo = withoutDir(read, store.dir);
  const computed = await computeSignatures({
    variants: variantsFromGraph(planned.graph, planned.facts, {
      packageInputs: packageInputs(stdModuleProvides()),
      context: {
        env: planned.schema?.workflow?.env ?? {},
        caches: Object.fromEntries(
          (planned.schema?.caches ?? []).map((c) => [c.name, { paths: c.paths, key_parts: c.keyParts, restore_keys: c.restoreKeys }]),
        ),
      },
    }),
    repo,
    env,
    salt: settings?.salt ?? "",
    configDir: dirname(planned.configFile),
  });
  const branch = opts.branch ?? (await currentBranch(cwd, env));
  const forceEnv = settings?.forceEnv || "CIG_FORCE";
  const decisions = await decide(computed.results, { store, env, branch, force: env[forceEnv] });
  return { repo, computed, decisions, store, branch, diagnostics: [...computed.diagnostics, ...unknownForced(decisions, env, forceEnv)] };
}

/** A warning per id in the force variables that names no job or variant: a typo would force nothing, silently. */
function unknownForced(decisions: readonly Decision[], env: NodeJS.ProcessEnv, forceEnv: string): Diagnostic[] {
  const forced = forcedIds(env[forceEnv], env.CIG_FORCE);
  if (forced === "all") return [];
  const known = new Set(decisions.flatMap((d) => [d.job, d.variant]));
  return [...forced]
    .filter((id) => !known.has(id))
    .map((id) =>
      create(DiagnosticSchema, {
        level: Diagnostic_Level.WARNING,
        code: "CIG_SIG_UNKNOWN_FORCE",
        title: "forced id names no job",
        message: `${forceEnv} names "${id}", which is no job or variant: it forces nothing`,
        fixHint: `Use 1, true or all for every job, or job ids: ${[...new Set(decisions.map((d) => d.job))].join(", ")}.`,
      }),
    );
}

/** Package name → the input files of the modules that provide it. */
function packageInputs(provides: ReadonlyMap<string, ModuleProvides>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of provides.values()) for (const pkg of p.packages) out[pkg] = [...(out[pkg] ?? []), ...(p.inputs ?? [])];
  return out;
}

/** The decisions as providers receive them (keyed by resource id). */
export function toSkipDecisions(decisions: readonly Decision[]): SkipDecisions {
  const jobs = Object.fromEntries(
    decisions.map((d) => [
      `job:${d.variant}`,
      create(JobDecisionSchema, { shouldRun: d.should_run, reason: d.reason, signature: d.signature }),
    ]),
  );
  return create(SkipDecisionsSchema, { jobs });
}

/**
 * The repository without the pass store's files: markers restored or recorded
 * there are not inputs of any job (readRepoState leaves out `.cig/` itself;
 * this covers a store_dir elsewhere inside the repository).
 */
function withoutDir(repo: RepoState, dir: string): RepoState {
  const rel = relative(repo.root, dir).split(sep).join("/");
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return repo;
  const prefix = `${rel}/`;
  return { ...repo, files: repo.files.filter((f) => !f.path.startsWith(prefix)) };
}

function storeDir(flag: string | undefined, configured: string, root: string): string {
  let dir = configured;
  if (flag !== undefined && flag !== "") {
    if (!flag.startsWith("dir:") || flag.length === 4)
      throw new CigError(
        "CIG_USAGE",
        `unknown pass store "${flag}"`,
        "Use --store dir:PATH (or CIG_PASS_STORE=dir:PATH); CI caches are restored into that directory by the generated pipelines.",
      );
    dir = flag.slice(4);
  }
  return isAbsolute(dir) ? dir : resolve(root, dir);
}
