// Where the time of one `cig render` goes: run by bench/render.mjs as
// `node bench/lib/render-phases.mjs <repo dir> [--direct] [--only a,b]`, in a fresh
// process per run, like the CLI. It runs the real `runPipeline` of core/dist
// (what `cig render` runs) with the host's entry points wrapped to timestamp
// each phase, then writes the outputs as `cig render` does. The phases
// between the wrapped calls are the gaps:
//
//   config    start of runPipeline → PluginHost.start (read cig.toml, loadConfig)
//   start     PluginHost.start (spawn, handshake, Info, in parallel)
//   detect    listing the repo + every plugin's Detect (in parallel)
//   graph     last Detect → first Plan (merge facts, buildJobGraph)
//   plan      every module's Plan (in parallel)
//   attach    last Plan → Generate (fold module steps into the variants)
//   generate  the provider's Generate (request out, workflow back)
//   merge     Generate → first Validate (mergeFragments)
//   validate  every plugin's Validate
//   outputs   last Validate → shutdown (planOutputs: compare with disk, diff)
//   shutdown  PluginHost.shutdown
//   write     writeOutputs (atomic writes)
//
// Prints JSON (ms). With --direct it also runs the provider's generate and
// validate functions in this process on the very request the plugin got, to
// split the Generate and Validate RPCs into plugin work and transport. With
// --only, only these std plugins (and provider/github) are available to the
// run: what a render would cost if cig started only the modules a project uses.
const boot = performance.now();
const { readFileSync } = await import("node:fs");
const { fileURLToPath, pathToFileURL } = await import("node:url");
const { join } = await import("node:path");
const { createRequire } = await import("node:module");
const core = await import("../../core/dist/index.js");
const proto = await import("../../proto/dist/src/index.js");
const { stdModuleProvides, stdPlugins } = await import("../../core/dist/cli/std-plugins.js");
const { writeOutputs } = await import("../../core/dist/output/write-outputs.js");
const { templateGraph } = await import("../../core/dist/pipeline/job-templates.js");
const importCore = performance.now() - boot;

const [cwd, ...rest] = process.argv.slice(2);
const direct = rest.includes("--direct");
const onlyAt = rest.indexOf("--only");
const only = onlyAt >= 0 ? new Set([...(rest[onlyAt + 1] ?? "").split(","), "provider/github"]) : undefined;
const std = new Map([...stdPlugins()].filter(([name]) => !only || only.has(name)));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const spans = {};
const span = (name, t0, t1) => {
  spans[name] ??= [];
  spans[name].push([t0, t1]);
};
const wrapAsync = (obj, key, name, capture) => {
  const orig = obj[key];
  obj[key] = async function (...args) {
    const t0 = performance.now();
    try {
      const out = await orig.apply(this, args);
      if (capture) capture(args, out);
      return out;
    } finally {
      span(name, t0, performance.now());
    }
  };
};
let generateReq;
let generateRes;
wrapAsync(core.PluginHost, "start", "start");
wrapAsync(core.PluginHost.prototype, "shutdown", "shutdown");
for (const hook of ["detect", "plan", "validate"]) wrapAsync(core.LoadedPlugin.prototype, hook, hook);
wrapAsync(core.LoadedPlugin.prototype, "generate", "generate", ([req], res) => {
  generateReq = req;
  generateRes = res;
});

const t0 = performance.now();
const result = await core.runPipeline({ cwd, stdPlugins: std, stdModules: stdModuleProvides() });
const tPipeline = performance.now();
if (result.failed) {
  const errors = result.diagnostics.filter((d) => d.level === proto.Diagnostic_Level.ERROR);
  process.stderr.write(`pipeline failed: ${JSON.stringify(errors.slice(0, 5).map((d) => `${d.code}: ${d.title}`))}\n`);
  process.exit(2);
}
writeOutputs(cwd, result.changes, { force: false });
const tWrite = performance.now();

const first = (name) => Math.min(...(spans[name] ?? [[Number.NaN]]).map((s) => s[0]));
const last = (name) => Math.max(...(spans[name] ?? [[Number.NaN, Number.NaN]]).map((s) => s[1]));
// A plugin set without planners or validators leaves that span empty: the gap then runs to the next marker.
const at = (...names) => names.map((n) => first(n)).find((v) => Number.isFinite(v));
const after = (...names) => names.map((n) => last(n)).find((v) => Number.isFinite(v));
const phases = {
  config: first("start") - t0,
  start: last("start") - first("start"),
  detect: after("detect", "start") - last("start"),
  graph: at("plan", "generate") - after("detect", "start"),
  plan: spans.plan ? last("plan") - first("plan") : 0,
  attach: first("generate") - after("plan", "detect", "start"),
  generate: last("generate") - first("generate"),
  merge: at("validate", "shutdown") - last("generate"),
  validate: spans.validate ? last("validate") - first("validate") : 0,
  outputs: first("shutdown") - after("validate", "generate"),
  shutdown: last("shutdown") - first("shutdown"),
  write: tWrite - tPipeline,
};

const out = {
  boot,
  importCore,
  phases,
  pipeline: tPipeline - t0,
  total: tWrite,
  plugins: result.plugins.map((p) => p.name),
  variants: result.graph.length,
  files: result.changes.map((c) => ({ path: c.path, lines: c.lines, bytes: Buffer.byteLength(c.content) })),
};

if (direct && generateReq) {
  const fromCore = createRequire(join(ROOT, "core/package.json"));
  const { create, toBinary } = await import(pathToFileURL(fromCore.resolve("@bufbuild/protobuf")).href);
  const gh = (f) => import(pathToFileURL(join(ROOT, "plugins-std/provider-github/dist", f)).href);
  const { generateWorkflows } = await gh("generate-workflows.js");
  const { validateWorkflows } = await gh("validate-workflows.js");
  const { expandJobTemplates } = await import("../../sdk/dist/index.js");
  const req = create(proto.GenerateRequestSchema, generateReq);
  const tEnc = performance.now();
  const reqBytes = toBinary(proto.GenerateRequestSchema, req).length;
  const encodeMs = performance.now() - tEnc;
  // What the plugin's SDK does before its hook runs (graph-templates feature).
  expandJobTemplates(req);
  const tGen = performance.now();
  generateWorkflows(req);
  const generateMs = performance.now() - tGen;
  const resBytes = generateRes.reduce((a, r) => a + toBinary(proto.GenerateResponseSchema, r).length, 0);
  const rendered = result.files.map((f) => ({ path: f.path, content: f.content, format: f.format }));
  const sent = templateGraph(result.graph);
  const validateReqBytes = toBinary(
    proto.ValidateRequestSchema,
    create(proto.ValidateRequestSchema, { rendered, schema: result.schema, graph: sent.graph, jobTemplates: sent.templates }),
  ).length;
  const vreq = create(proto.ValidateRequestSchema, { rendered, schema: result.schema, graph: result.graph });
  const tVal = performance.now();
  validateWorkflows(vreq);
  const validateMs = performance.now() - tVal;
  out.direct = { reqBytes, resBytes, validateReqBytes, encodeMs, generateMs, validateMs };
}
out.peakRssMiB = Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? Number.NaN) / 1024;
process.stdout.write(JSON.stringify(out));
