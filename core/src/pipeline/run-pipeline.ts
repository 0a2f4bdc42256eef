import { relative } from "node:path";
import { create } from "@bufbuild/protobuf";
import {
  CigSchemaSchema,
  type Dependency,
  type Diagnostic,
  Diagnostic_Level,
  type Fragment,
  Hook,
  type Output,
  type PlanRequest,
  PlanRequestSchema,
  type Resource,
  type ValidateRequest,
  ValidateRequestSchema,
} from "@cig/proto";
import { loadConfig } from "../config/load-config.js";
import { CigError } from "../errors/cig-error.js";
import { buildJobGraphInSlices } from "../graph/build-job-graph.js";
import type { LoadedPlugin } from "../plugin-host/loaded-plugin.js";
import { listRepo, snapshotFor } from "../repo/repo-snapshot.js";
import { attachContributions } from "./attach-contributions.js";
import { readConfig, resolveConfigPath } from "./config-file.js";
import { adoptEarly, discardEarly, startEarly } from "./early-start.js";
import { graphFor, type TemplatedGraph } from "./job-templates.js";
import { mergeFacts, summarizeFacts } from "./merge-facts.js";
import type { PipelineOptions, PipelineResult } from "./pipeline-types.js";
import { planRequestFor } from "./plan-requests.js";
import { selectPlugins } from "./select-plugins.js";
import { startHost } from "./start-host.js";

const isError = (d: Diagnostic) => d.level === Diagnostic_Level.ERROR;

/**
 * detect → plan → generate → merge → validate, then compare with what is on
 * disk. Writes nothing: `cig render` writes `result.changes`. Stops at the
 * first phase that reports an error, with every diagnostic of that phase.
 */
export async function runPipeline(opts: PipelineOptions): Promise<PipelineResult> {
  const configFile = resolveConfigPath(opts);
  const text = readConfig(configFile, opts.cwd);
  // Plugins boot in their own processes while this one checks cig.toml.
  const early = await startEarly(text, opts);
  const loaded = loadConfig(text, relative(opts.cwd, configFile) || "cig.toml", early?.data);
  const result: PipelineResult = {
    configFile,
    plugins: [],
    detections: [],
    facts: {},
    graph: [],
    deps: [],
    contributions: { steps: new Map() },
    files: [],
    changes: [],
    diagnostics: [...loaded.diagnostics],
    failed: false,
  };
  const stop = () => {
    result.failed = true;
    return result;
  };
  if (!loaded.schema || result.diagnostics.some(isError)) {
    await discardEarly(early);
    return stop();
  }
  const schema = loaded.schema;
  result.schema = schema;
  if (opts.moduleManifests && opts.moduleManifests.size > 0) {
    // Loaded only for a cig.toml that uses modules with manifests: most runs never need it.
    const { checkModuleInputs } = await import("../registry/check-module-inputs.js");
    const problems = checkModuleInputs(schema, opts.moduleManifests);
    result.diagnostics.push(...problems);
    if (problems.some(isError)) {
      await discardEarly(early);
      return stop();
    }
  }
  let outputs: Output[];
  try {
    outputs = effectiveOutputs(schema.outputs, opts.providers);
  } catch (err) {
    await discardEarly(early);
    throw err;
  }
  // A plan-only run (compute-signatures) needs the modules, not the providers.
  const planOnly = opts.stopAfter === "plan";
  const commands = selectPlugins(opts.stdPlugins, planOnly ? [] : outputs, opts.cwd, {
    schema,
    text,
    provides: opts.stdModules ?? new Map(),
  });
  const host = (await adoptEarly(early, commands)) ?? (await startHost(commands, opts.host ?? {}));
  try {
    result.plugins = host.plugins.map((p) => ({ name: p.name, version: p.info.version }));
    // module.toml's capabilities_required: what a module needs of the other plugins of the run.
    const unmet = host.plugins.flatMap((p) =>
      (opts.moduleManifests?.get(p.name)?.capabilitiesRequired ?? [])
        .filter((req) => host.capabilities.providers(req).every((n) => n === p.name))
        .map((req) => `${p.name} requires ${req} (capabilities_required in its module.toml), which no other plugin of this run provides`),
    );
    if (unmet.length > 0)
      throw new CigError(
        "CIG_CAPABILITY_UNMET",
        `unmet module requirements:\n  ${unmet.join("\n  ")}`,
        "Add an output or a plugin that provides the capability, or remove the module that needs it.",
        { plugin: unmet.map((u) => u.split(" ")[0]).join(", ") },
      );
    const has = (p: LoadedPlugin, h: Hook) => p.info.hooks.includes(h);
    const tag = (p: LoadedPlugin, ds: Diagnostic[]) => ds.map((d) => Object.assign(d, { plugin: p.name }));

    // 1. Detect, in parallel; facts merged in plugin-name order so the result never depends on timing.
    const detectors = host.plugins.filter((p) => has(p, Hook.DETECT));
    // Listing a 50k-file repository costs ~100 ms: only for plugins that detect.
    const listing = detectors.length > 0 ? listRepo(opts.cwd) : { files: [], git: undefined };
    const detected = await Promise.all(detectors.map((p) => p.detect({ repo: snapshotFor(opts.cwd, listing, p.info.detectPatterns) })));
    detectors.forEach((p, i) => {
      const d = detected[i];
      if (!d) return;
      result.detections.push({ plugin: p.name, signals: d.signals, facts: d.facts, confidence: d.confidence });
      result.diagnostics.push(...tag(p, d.diagnostics));
      opts.onEvent?.({ phase: "detect", plugin: p.name, summary: summarizeFacts(d.facts), confidence: d.confidence });
    });
    result.facts = mergeFacts(result.detections, result.diagnostics);
    for (const p of result.plugins) opts.onEvent?.({ phase: "resolve", plugin: p.name, version: p.version });

    // 2. Plan: modules contribute steps and services while the core expands the
    // job graph (Plan needs the schema and facts, not the graph: the two overlap).
    const planners = host.plugins.filter((p) => has(p, Hook.PLAN));
    const capabilities = host.capabilities.all();
    // One message for every module, or for every set of jobs modules see: each encoded once (see PluginRpc.unary).
    const planRequest = create(PlanRequestSchema, { capabilities, facts: result.facts, schema, flags: {} });
    const subsets = new Map<string, PlanRequest>();
    const planning = Promise.all(planners.map((p) => p.plan(planRequestFor(planRequest, p.name, opts.stdModules?.get(p.name), subsets))));
    // A rejection is awaited below; until then it must not count as unhandled.
    planning.catch(() => {});
    // In slices, so the requests keep flowing to the modules while the graph is built.
    const graph = await buildJobGraphInSlices(schema, result.facts, loaded.locate);
    result.diagnostics.push(...graph.diagnostics);
    const plans = await planning;
    if (result.diagnostics.some(isError)) return stop();
    const proposed: Resource[] = [];
    const moduleDeps: Dependency[] = [];
    planners.forEach((p, i) => {
      const plan = plans[i];
      if (!plan) return;
      for (const r of plan.resources) proposed.push(Object.assign(r, { owner: p.name }));
      moduleDeps.push(...plan.deps);
      result.diagnostics.push(...tag(p, plan.diagnostics));
    });
    const attached = attachContributions(graph.jobs, proposed);
    result.contributions = attached.contributions;
    result.diagnostics.push(...attached.diagnostics);
    result.graph = graph.jobs;
    // On first read, as the graph's own edges are: only explain and --json show them.
    let deps: Dependency[] | undefined;
    Object.defineProperty(result, "deps", {
      get: () => {
        deps ??= [...graph.deps, ...moduleDeps];
        return deps;
      },
      enumerable: true,
    });
    for (const job of variantsByJob(graph.jobs)) opts.onEvent?.({ phase: "plan", ...job });
    if (result.diagnostics.some(isError)) return stop();
    if (planOnly) return result;
    const decisions = opts.decide ? await opts.decide(result) : undefined;

    // 3. Generate per provider, 4. merge. Providers see cache tables with
    // their {{ }} references resolved (the graph resolves them once).
    const resolved = create(CigSchemaSchema, {
      ...schema,
      caches: graph.caches.flatMap((c) => (c.spec.case === "cache" && c.spec.value.cache ? [c.spec.value.cache] : [])),
    });
    const fragments: Fragment[] = [];
    for (const target of [...new Set(outputs.map((o) => o.provider))].sort()) {
      const provider = host.plugins.find((p) => p.info.capabilities.includes(`provider:${target}`) && has(p, Hook.GENERATE));
      if (!provider)
        throw new CigError(
          "CIG_PROVIDER_MISSING",
          `no plugin renders provider "${target}"`,
          "Check [[outputs]] provider names: github, circleci, buildkite, jenkins, gitlab.",
        );
      const sent = graphFor(provider.info.features, result.graph);
      const parts = await provider.generate({
        target,
        graph: sent.graph,
        jobTemplates: sent.templates,
        // Only edges the job resources do not carry already (their needs and caches are
        // there): the graph's own edges were 40 % of the request at 5,000 variants.
        deps: moduleDeps,
        schema: resolved,
        outputs: outputs.filter((o) => o.provider === target),
        facts: result.facts,
        ...(decisions ? { decisions } : {}),
      });
      for (const part of parts) {
        fragments.push(...part.fragments.map((f) => Object.assign(f, { owner: provider.name })));
        result.diagnostics.push(...tag(provider, part.diagnostics));
      }
    }
    // Loaded here: a plan-only run (compute-signatures) never merges, so never loads the YAML and diff libraries.
    const { mergeFragments } = await import("../output/merge-fragments.js");
    const { planOutputs } = await import("../output/plan-outputs.js");
    const merged = mergeFragments(fragments);
    result.files = merged.files;
    result.diagnostics.push(...merged.diagnostics);

    // 5. Validate the merged output.
    const rendered = merged.files.map((f) => ({ path: f.path, content: f.content, format: f.format }));
    // At most three request messages (templated, whole or no graph), each encoded once.
    const validateRequests = new Map<TemplatedGraph, ValidateRequest>();
    const validateRequestFor = (p: LoadedPlugin) => {
      const sent = graphFor(p.info.features, result.graph, "validate");
      let req = validateRequests.get(sent);
      if (!req) {
        req = create(ValidateRequestSchema, { rendered, schema, graph: sent.graph, jobTemplates: sent.templates });
        validateRequests.set(sent, req);
      }
      return req;
    };
    const validators = host.plugins.filter((q) => has(q, Hook.VALIDATE));
    const validated = await Promise.all(validators.map((p) => p.validate(validateRequestFor(p))));
    validators.forEach((p, i) => {
      result.diagnostics.push(...tag(p, validated[i]?.diagnostics ?? []));
    });
    if (result.diagnostics.some(isError)) return stop();
    result.changes = planOutputs(opts.cwd, merged.files);
    for (const c of result.changes) opts.onEvent?.({ phase: "generate", path: c.path, lines: c.lines });
    return result;
  } finally {
    await host.shutdown();
  }
}

/** [[outputs]] (the loader fills in the default) restricted to `providers`. */
function effectiveOutputs(all: Output[], providers: readonly string[] | undefined): Output[] {
  if (!providers || providers.length === 0) return all;
  const unknown = providers.filter((p) => !all.some((o) => o.provider === p));
  if (unknown.length > 0) {
    throw new CigError(
      "CIG_USAGE",
      `--provider ${unknown.join(", ")} has no [[outputs]] entry in cig.toml`,
      `Declared providers: ${[...new Set(all.map((o) => o.provider))].join(", ")}.`,
    );
  }
  return all.filter((o) => providers.includes(o.provider));
}

function variantsByJob(jobs: Resource[]): Array<{ job: string; variants: number; runner: string }> {
  const out = new Map<string, { job: string; variants: number; runner: string }>();
  for (const r of jobs) {
    if (r.spec.case !== "job") continue;
    const j = r.spec.value;
    const e = out.get(j.jobId) ?? { job: j.jobId, variants: 0, runner: j.runner?.name ?? "" };
    e.variants++;
    out.set(j.jobId, e);
  }
  return [...out.values()];
}
