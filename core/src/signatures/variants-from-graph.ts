import type { JsonValue } from "@bufbuild/protobuf";
import type { JobResource, JobTemplate, Resource, SourceLocation } from "@cig/proto";
import { compareUtf8 } from "../graph/compare-utf8.js";
import { substituteMatrix } from "../graph/interpolate.js";
import { definitionJson } from "./definition-json.js";

/** One job variant as the signature engine sees it. */
export interface SignatureVariant {
  /** Variant id without "job:" (equals the job id when the job has no matrix). */
  id: string;
  /** The cig.toml job id. */
  job: string;
  /** Variant ids (without "job:") this variant needs. */
  needs: string[];
  /** skip_if.paths_unmodified ∪ inputs, matrix references substituted, relative to the cig.toml directory; "!x" excludes. */
  patterns: string[];
  /**
   * Files the modules of the job's packages name as inputs (lockfiles, tool-version files), relative
   * to the cig.toml directory: hashed with {@link patterns} unless the variant hashes every file,
   * and not reported when they match nothing (a repository has one lockfile, not all of them).
   */
  quietPatterns?: string[];
  /** skip_if.env: variables whose values are hashed, and whose being set (non-empty) skips the variant. */
  env: string[];
  /** skip_if.branch: globs of branches on which the variant is skipped. */
  branches: string[];
  /** Resolved tool versions: fact name → value, for the job's packages. */
  tools: Record<string, string>;
  /** Canonical JSON of the planned JobResource (see definitionJson). */
  definition: string;
  /** True when the variant may be skipped: it has skip_if or inputs, and not never_skip. */
  skippable: boolean;
  /** never_skip = true. */
  neverSkip: boolean;
  /** Where the job is defined, for diagnostics. */
  loc?: SourceLocation;
}

/** Options of {@link variantsFromGraph}. */
export interface VariantsOptions {
  /** Templates of a templated graph (a plugin's GenerateRequest.job_templates); the core's own graph has none. */
  templates?: readonly JobTemplate[];
  /** Package name → the files its module names as inputs (module.toml `[provides] inputs`). */
  packageInputs?: Readonly<Record<string, readonly string[]>>;
  /**
   * Settings outside the job that change what it does, hashed with its definition: the workflow-wide
   * env (every job sees it) and the [caches.<name>] tables by name (a job lists only their names).
   */
  context?: { env?: Readonly<Record<string, string>>; caches?: Readonly<Record<string, JsonValue>> };
}

// Facts a package's tools are known by that do not start with "<package>_".
const EXTRA_TOOL_FACTS: Record<string, readonly string[]> = { node: ["package_manager", "package_manager_version"] };

/**
 * The signature inputs of every job variant of a planned graph (after the
 * modules' plan, so module-contributed steps are part of each definition).
 * Tools are the facts of each of the job's `packages`: every fact named
 * `<package>_…` (plus `package_manager[_version]` for node).
 */
export function variantsFromGraph(
  graph: readonly Resource[],
  facts: Readonly<Record<string, string>>,
  opts: VariantsOptions = {},
): SignatureVariant[] {
  const templates = new Map((opts.templates ?? []).map((t) => [t.id, t.job]));
  const factNames = Object.keys(facts).sort(compareUtf8);
  const out: SignatureVariant[] = [];
  for (const r of graph) {
    if (r.spec.case !== "job") continue;
    const job = withTemplate(r.spec.value, templates);
    const skipIf = job.skipIf;
    const tools: Record<string, string> = {};
    for (const pkg of job.packages) {
      const extra = EXTRA_TOOL_FACTS[pkg] ?? [];
      for (const name of factNames) if (name.startsWith(`${pkg}_`) || extra.includes(name)) tools[name] = facts[name] as string;
    }
    out.push({
      id: r.id.replace(/^job:/u, ""),
      job: job.jobId,
      needs: job.needs.map((n) => n.replace(/^job:/u, "")),
      patterns: [...(skipIf?.pathsUnmodified ?? []), ...job.inputs].map((p) => substituteMatrix(p, job.matrix)),
      env: [...(skipIf?.env ?? [])],
      branches: [...(skipIf?.branch ?? [])],
      tools,
      quietPatterns: [...new Set(job.packages.flatMap((pkg) => opts.packageInputs?.[pkg] ?? []))],
      definition: definitionJson(job, contextOf(job, opts.context)),
      skippable: !job.neverSkip && (skipIf !== undefined || job.inputs.length > 0),
      neverSkip: job.neverSkip,
      ...(job.loc ? { loc: job.loc } : {}),
    });
  }
  return out;
}

/** The part of the run-wide context that concerns `job` (only what is set: no key, no change to older signatures). */
function contextOf(job: JobResource, context: VariantsOptions["context"]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  if (context?.env && Object.keys(context.env).length > 0) out.workflow_env = { ...context.env };
  const caches = job.caches.flatMap((name) =>
    context?.caches?.[name] !== undefined ? [[name, context.caches[name] as JsonValue] as const] : [],
  );
  if (caches.length > 0) out.cache_tables = Object.fromEntries(caches);
  return out;
}

/** A templated variant made whole again (see JobResource.template). */
function withTemplate(job: JobResource, templates: ReadonlyMap<string, JobResource | undefined>): JobResource {
  const shared = job.template ? templates.get(job.template) : undefined;
  if (!shared) return job;
  return { ...shared, jobId: job.jobId, matrix: job.matrix, needs: shared.needs.length > 0 ? shared.needs : job.needs, template: "" };
}
