#!/usr/bin/env node
// Render benchmarks: `cig render` (the built CLI, spawned as a user runs it)
// on a typical project against the time to start its plugins, and on
// generated cig.toml files of 125 to 1,000 jobs (625 to 5,000 matrix
// variants): wall time, peak RSS, linearity, and where the time goes. Run
// with `pnpm bench:render` (builds first); rewrites the render section of
// docs/benchmarks.md.
//
//   node bench/render.mjs [--quick] [--no-write] [--out <file>]
//
// --quick: few repetitions and sizes up to 250 jobs, for checking the bench itself.
// --no-write: print the section instead of writing it.
import { existsSync, rmSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { stdPlugins } from "../core/dist/cli/std-plugins.js";
import { selectPlugins } from "../core/dist/pipeline/select-plugins.js";
import { benchFlags, ROOT } from "./lib/bench-flags.mjs";
import { machineFacts, machineMarkdown } from "./lib/machine.mjs";
import { bareEnv, HAVE_TIME, RSS_HOOK, runMeasured } from "./lib/processes.mjs";
import {
  bigConfig,
  bigExpectation,
  checkWorkflow,
  makeRepo,
  typicalConfig,
  typicalExpectation,
  VARIANTS_PER_JOB,
  WORKFLOW,
} from "./lib/render-fixture.mjs";
import { writeSection } from "./lib/results-doc.mjs";
import { int, mark, ms, summarize, table } from "./lib/stats.mjs";

const { flags, out: OUT } = benchFlags();
const CIG = join(ROOT, "core/bin/cig.js");
const PHASES = join(ROOT, "bench/lib/render-phases.mjs");
const SPAWN_PLUGINS = join(ROOT, "bench/lib/spawn-plugins.mjs");
const NODE = process.execPath;

const Q = flags.quick;
const SIZES = Q ? [125, 250] : [125, 250, 500, 1000];
const BIG = SIZES[SIZES.length - 1];
const REPS = {
  typical: Q ? 3 : 10,
  scaling: Q ? 2 : 5,
  unchanged: Q ? 1 : 3,
  phases: Q ? 1 : 3,
};
const TARGETS = { typicalRatio: 1.5, bigMs: 2000, bigMB: 300, linearSlopeRatio: 1.3, linearR2: 0.99 };
const MB = 1e6 / 1024 ** 2; // MiB per MB

const log = (msg) => process.stderr.write(`[bench:render] ${msg}\n`);
const p50 = (xs) => summarize(xs).p50;

// ---------------------------------------------------------------------------
// Running processes
// ---------------------------------------------------------------------------

const loadSamples = [];

/**
 * `node <args>` in a clean environment (the host's allow-list, so a sandbox's
 * NODE_EXTRA_CA_CERTS does not slow every start) with the peak-RSS hook
 * preloaded; what {@link runMeasured} measures, %M and CPU including the plugins.
 */
function runNode(args) {
  return runMeasured(NODE, ["--import", RSS_HOOK, ...args], { env: bareEnv(), own: true, loadSamples });
}

/** `cig --cwd <dir> render`, checked: exit 0, the summary line, and (fresh) the workflow's jobs. */
async function render(dir, expect, { fresh = true } = {}) {
  if (fresh) rmSync(join(dir, ".github"), { recursive: true, force: true });
  const r = await runNode([CIG, "--cwd", dir, "render"]);
  const want = fresh ? "1 file(s) written" : "0 file(s) written";
  if (r.code !== 0 || !r.stdout.includes(want)) {
    throw new Error(`cig render in ${dir} exited ${r.code}, expected 0 and "${want}":\n${r.stdout}${r.stderr}`);
  }
  const out = checkWorkflow(dir, expect);
  return { ...r, out };
}

async function spawnPlugins(dir) {
  const r = await runNode([SPAWN_PLUGINS, dir]);
  if (r.code !== 0) throw new Error(`spawn-plugins probe exited ${r.code}:\n${r.stderr}`);
  return { ...JSON.parse(r.stdout), wallMs: r.wallMs, cpuMs: r.cpuMs, cpuAllMs: r.cpuAllMs };
}

async function phases(dir, expect, { direct = true } = {}) {
  rmSync(join(dir, ".github"), { recursive: true, force: true });
  const r = await runNode([PHASES, dir, ...(direct ? ["--direct"] : [])]);
  if (r.code !== 0) throw new Error(`render-phases probe exited ${r.code}:\n${r.stderr}`);
  checkWorkflow(dir, expect);
  return { ...JSON.parse(r.stdout), wallMs: r.wallMs };
}

const sumObj = (runs, pick) => summarize(runs.map(pick));

// ---------------------------------------------------------------------------
// 1. Typical project vs starting its plugins
// ---------------------------------------------------------------------------

async function benchTypical(pluginNames) {
  const t = typicalConfig(pluginNames);
  const dir = makeRepo(t.config, "typical", t.langs);
  const expect = typicalExpectation(t);
  try {
    log(`typical project: ${REPS.typical} renders and ${REPS.typical} plugin starts, interleaved`);
    // One warm-up round (page cache, first-run effects), not counted.
    await render(dir, expect);
    await spawnPlugins(dir);
    const renders = [];
    const starts = [];
    for (let i = 0; i < REPS.typical; i++) {
      renders.push(await render(dir, expect));
      starts.push(await spawnPlugins(dir));
    }
    return {
      started: starts[0].plugins,
      t,
      out: renders[0].out,
      render: sumObj(renders, (r) => r.wallMs),
      rss: sumObj(renders, (r) => r.rssMiB),
      maxRss: sumObj(renders, (r) => r.maxRssMiB),
      renderCpu: sumObj(renders, (r) => r.cpuMs),
      renderCpuAll: sumObj(renders, (r) => r.cpuAllMs),
      spawnWall: sumObj(starts, (s) => s.wallMs),
      spawnCpu: sumObj(starts, (s) => s.cpuMs),
      spawnCpuAll: sumObj(starts, (s) => s.cpuAllMs),
      spawnBoot: sumObj(starts, (s) => s.boot),
      spawnImport: sumObj(starts, (s) => s.importCore),
      spawnStart: sumObj(starts, (s) => s.start),
      spawnShutdown: sumObj(starts, (s) => s.shutdown),
      spawnInProcess: sumObj(starts, (s) => s.start + s.shutdown),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// 2. Scaling: 125 … 1,000 jobs
// ---------------------------------------------------------------------------

async function benchScaling() {
  const repos = SIZES.map((jobs) => {
    const config = bigConfig(jobs);
    return {
      jobs,
      variants: jobs * VARIANTS_PER_JOB,
      dir: makeRepo(config, `j${jobs}`),
      configBytes: Buffer.byteLength(config),
      expect: bigExpectation(jobs),
    };
  });
  try {
    log(`scaling: ${SIZES.join(", ")} jobs, ${REPS.scaling} renders each (round-robin), after one warm-up render each`);
    for (const r of repos) await render(r.dir, r.expect);
    const runs = new Map(repos.map((r) => [r.jobs, []]));
    for (let i = 0; i < REPS.scaling; i++) {
      for (const r of repos) {
        const x = await render(r.dir, r.expect);
        runs.get(r.jobs).push(x);
        log(`  ${r.jobs} jobs: ${ms(x.wallMs)} ms, ${x.rssMiB.toFixed(0)} MiB`);
      }
    }
    const big = repos[repos.length - 1];
    log(`scaling: ${REPS.unchanged} re-renders of ${big.jobs} jobs with the outputs already up to date`);
    const unchanged = [];
    for (let i = 0; i < REPS.unchanged; i++) unchanged.push(await render(big.dir, big.expect, { fresh: false }));

    log(`phases: ${REPS.phases} instrumented runs per size`);
    const phaseRuns = new Map(repos.map((r) => [r.jobs, []]));
    for (let i = 0; i < REPS.phases; i++) {
      for (const r of repos) phaseRuns.get(r.jobs).push(await phases(r.dir, r.expect));
    }
    return {
      sizes: repos.map((r) => {
        const xs = runs.get(r.jobs);
        return {
          jobs: r.jobs,
          variants: r.variants,
          configKiB: r.configBytes / 1024,
          out: xs[0].out,
          wall: sumObj(xs, (x) => x.wallMs),
          rss: sumObj(xs, (x) => x.rssMiB),
          maxRss: sumObj(xs, (x) => x.maxRssMiB),
          cpu: sumObj(xs, (x) => x.cpuMs),
          cpuAll: sumObj(xs, (x) => x.cpuAllMs),
          phases: phaseRuns.get(r.jobs),
        };
      }),
      unchanged: {
        wall: sumObj(unchanged, (x) => x.wallMs),
        rss: sumObj(unchanged, (x) => x.rssMiB),
      },
    };
  } finally {
    for (const r of repos) rmSync(r.dir, { recursive: true, force: true });
  }
}

/** Least-squares line through (x, y): slope, intercept, R². */
function leastSquares(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

function linearity(sizes, pick = (s) => s.wall.p50) {
  const xs = sizes.map((s) => s.variants);
  const ys = sizes.map(pick);
  const line = leastSquares(xs, ys);
  const steps = [];
  for (let i = 1; i < sizes.length; i++) {
    steps.push({
      from: sizes[i - 1],
      to: sizes[i],
      perVariant: (ys[i] - ys[i - 1]) / (xs[i] - xs[i - 1]),
    });
  }
  const first = steps[0]?.perVariant ?? Number.NaN;
  const lastStep = steps[steps.length - 1]?.perVariant ?? Number.NaN;
  const slopeRatio = lastStep / first;
  const linear = line.r2 >= TARGETS.linearR2 && slopeRatio <= TARGETS.linearSlopeRatio;
  return { line, steps, slopeRatio, linear };
}

// ---------------------------------------------------------------------------
// The section
// ---------------------------------------------------------------------------

const PHASE_ROWS = [
  ["boot", "Node start → first line of the probe"],
  ["importCore", "importing the core (`core/dist`, grpc-js, protobuf-es)"],
  ["config", "config: read cig.toml, `loadConfig` (parse, schema, semantic checks)"],
  ["start", "plugin start: `PluginHost.start` (spawn, handshake, Info; in parallel)"],
  ["detect", "detect: list the repo, every plugin's Detect"],
  ["graph", "graph: merge facts, `buildJobGraph` (matrix expansion, needs, order)"],
  ["plan", "plan: every module's Plan RPC"],
  ["attach", "attach: fold module steps and services into the variants"],
  ["generate", "generate: provider/github's Generate RPC"],
  ["merge", "merge: `mergeFragments`"],
  ["validate", "validate: every plugin's Validate RPC"],
  ["outputs", "outputs: compare with disk, diff (`planOutputs`)"],
  ["shutdown", "shutdown: `PluginHost.shutdown`"],
  ["write", "write: `writeOutputs`"],
];

const phaseValue = (run, key) => (key === "boot" || key === "importCore" ? run[key] : run.phases[key]);

function phaseTables(sc) {
  const big = sc.sizes[sc.sizes.length - 1];
  const runs = big.phases;
  const rows = PHASE_ROWS.map(([key, label]) => {
    const s = summarize(runs.map((r) => phaseValue(r, key)));
    return [label, ms(s.min), ms(s.p50), ms(s.max), `${((100 * s.p50) / p50(runs.map((r) => r.total))).toFixed(0)} %`];
  });
  const total = summarize(runs.map((r) => r.total));
  rows.push(["**probe total** (Node start → outputs written)", ms(total.min), `**${ms(total.p50)}**`, ms(total.max), "100 %"]);
  rows.push([`\`cig render\` wall at this size (section 2), for comparison`, ms(big.wall.min), ms(big.wall.p50), ms(big.wall.max), ""]);

  const scaleRows = PHASE_ROWS.map(([key, label]) => {
    const vals = sc.sizes.map((s) => p50(s.phases.map((r) => phaseValue(r, key))));
    const growth = vals[vals.length - 1] / vals[0];
    return [label.split(":")[0], ...vals.map(ms), Number.isFinite(growth) ? `${growth.toFixed(1)}×` : ""];
  });
  const first = sc.sizes[0];
  const ratio = big.variants / first.variants;

  const d = summarize(runs.map((r) => r.direct?.generateMs ?? Number.NaN));
  const v = summarize(runs.map((r) => r.direct?.validateMs ?? Number.NaN));
  const enc = summarize(runs.map((r) => r.direct?.encodeMs ?? Number.NaN));
  const gen = summarize(runs.map((r) => r.phases.generate));
  const val = summarize(runs.map((r) => r.phases.validate));
  const dx = runs[0].direct ?? {};
  const kib = (b) => `${(b / 1024).toFixed(0)} KiB`;
  return {
    main: table(["phase", "min ms", "p50 ms", "max ms", "share of p50"], rows),
    scale: table(["phase", ...sc.sizes.map((s) => `${int(s.variants)} var. ms`), `growth (variants ×${ratio})`], scaleRows),
    rpc: table(
      ["", "p50 ms", "request", "response"],
      [
        ["Generate RPC as the core sees it", ms(gen.p50), kib(dx.reqBytes ?? Number.NaN), kib(dx.resBytes ?? Number.NaN)],
        ["… of which `generateWorkflows` itself (run in the probe on the same request)", ms(d.p50), "", ""],
        ["… encoding the request alone (`toBinary`, in the probe)", ms(enc.p50), "", ""],
        ["Validate RPCs as the core sees them", ms(val.p50), kib(dx.validateReqBytes ?? Number.NaN), ""],
        ["… of which provider/github's `validateWorkflows` itself", ms(v.p50), "", ""],
      ],
    ),
  };
}

function biggestPhases(big) {
  const runs = big.phases;
  return PHASE_ROWS.map(([key, label]) => ({ key, label, p50: p50(runs.map((r) => phaseValue(r, key))) })).sort((a, b) => b.p50 - a.p50);
}

function inShort(ty, sc, lin) {
  const big = sc.sizes[sc.sizes.length - 1];
  const first = sc.sizes[0];
  const ratio = big.variants / first.variants;
  const top = biggestPhases(big).slice(0, 5);
  const total = p50(big.phases.map((r) => r.total));
  const superlinear = PHASE_ROWS.map(([key, label]) => {
    const a = p50(first.phases.map((r) => phaseValue(r, key)));
    const b = p50(big.phases.map((r) => phaseValue(r, key)));
    return { key, label: label.split(":")[0], a, b, growth: b / a };
  }).filter((x) => x.b >= 50 && x.growth > ratio * 1.25);
  const fixed = ty.spawnBoot.p50 + ty.spawnImport.p50 + ty.spawnStart.p50;
  const lines = [
    `- **Typical project:** \`cig render\` takes ${ms(ty.render.p50)} ms (p50); a process that only starts the same ${ty.pluginCount} plugins and stops them takes ${ms(ty.spawnWall.p50)} ms, of which Node start ${ms(ty.spawnBoot.p50)} ms, importing the core ${ms(ty.spawnImport.p50)} ms, \`PluginHost.start\` ${ms(ty.spawnStart.p50)} ms and shutdown ${ms(ty.spawnShutdown.p50)} ms. Node start + core import + plugin start are ${((100 * fixed) / ty.render.p50).toFixed(0)} % of the render's p50; the rest is loading cig.toml, the hook calls (the first call to each plugin is slow: cold code on both sides), shutdown and writing.`,
    `- **${int(big.variants)} variants:** ${ms(big.wall.p50)} ms and ${big.rss.max.toFixed(0)} MiB peak for the cig process. The largest phases of the instrumented run (${ms(total)} ms p50): ${top.map((t) => `${t.label.split(":")[0]} ${ms(t.p50)} ms`).join(", ")}.`,
  ];
  const pp = (key) => p50(big.phases.map((r) => phaseValue(r, key)));
  const fixedBig = pp("boot") + pp("importCore") + pp("start");
  const rest = total - fixedBig;
  const budget = TARGETS.bigMs - fixedBig;
  lines.push(
    `- **Fixed and per-variant cost:** the least-squares line through the render p50s is ${ms(lin.line.intercept)} ms at zero variants plus ${(lin.line.slope * 1000).toFixed(0)} µs per variant (${ms(lin.line.slope * big.variants)} ms at ${int(big.variants)}). In the instrumented run Node start, importing the core and starting the ${ty.pluginCount} plugins take ${ms(fixedBig)} ms, which does not depend on the size of cig.toml; everything else (config, graph, the hook calls, outputs) ${ms(rest)} ms. Within ${TARGETS.bigMs / 1000} s, everything else would have ${ms(budget)} ms${budget > 0 ? `: it would have to be ${(rest / budget).toFixed(1)}× faster` : ""}.`,
  );
  if (superlinear.length > 0) {
    lines.push(
      `- **Superlinear phases** (p50 grew by more than 1.25 × the ${ratio}× growth in variants from ${int(first.variants)} to ${int(big.variants)}): ${superlinear.map((x) => `${x.label} ${ms(x.a)} → ${ms(x.b)} ms (${x.growth.toFixed(1)}×)`).join(", ")}.`,
    );
  } else {
    lines.push(`- **No phase grows faster than the variants** (by more than 1.25 × the ${ratio}× growth, among phases ≥ 50 ms).`);
  }
  lines.push(
    `- **Linearity:** ${lin.steps.map((s) => `${int(s.from.variants)} → ${int(s.to.variants)} variants: ${(s.perVariant * 1000).toFixed(0)} µs per added variant`).join("; ")}; least-squares line ${ms(lin.line.intercept)} ms + ${(lin.line.slope * 1000).toFixed(0)} µs × variants, R² = ${lin.line.r2.toFixed(4)}. The cost per added variant in the last step is ${lin.slopeRatio.toFixed(2)}× the first step's: ${
      lin.linear
        ? `linear within the bar over this range${superlinear.length > 0 ? `, although the superlinear ${superlinear.map((x) => x.label).join(" and ")} will dominate at larger sizes` : ""}`
        : "it grows with the size, so the time is **not linear**"
    }.`,
  );
  return lines.join("\n");
}

function renderSection({ facts, ty, sc, lin, load, totalS }) {
  const big = sc.sizes[sc.sizes.length - 1];
  const ratio = ty.render.p50 / ty.spawnWall.p50;
  const strictRatio = ty.render.p50 / ty.spawnInProcess.p50;
  const bigMiB = TARGETS.bigMB * MB;
  const isBig = big.variants >= 5000;
  const targetRows = [
    [
      `typical render ÷ a fresh core process that starts the same ${ty.started.length} plugins in parallel and stops them (wall, p50)`,
      `≤ ${TARGETS.typicalRatio}×`,
      `${ratio.toFixed(2)}× (${ms(ty.render.p50)} vs ${ms(ty.spawnWall.p50)} ms)`,
      mark(ratio <= TARGETS.typicalRatio),
    ],
    [
      `(for information, not a target: ÷ \`PluginHost.start\` + shutdown alone. A render also starts Node and loads the core, ${ms(ty.spawnBoot.p50 + ty.spawnImport.p50)} ms here, ${((100 * (ty.spawnBoot.p50 + ty.spawnImport.p50)) / ty.spawnInProcess.p50).toFixed(0)} % of that, before it can spawn anything)`,
      "—",
      `${strictRatio.toFixed(2)}× (${ms(ty.render.p50)} vs ${ms(ty.spawnInProcess.p50)} ms)`,
      "",
    ],
    [
      `${int(big.variants)} variants (${int(big.jobs)} jobs): wall, p50`,
      isBig ? `≤ ${TARGETS.bigMs / 1000} s` : "(≤ 2 s at 5,000)",
      `${ms(big.wall.p50)} ms`,
      mark(big.wall.p50 <= TARGETS.bigMs),
    ],
    [
      `${int(big.variants)} variants: peak RSS of the cig process, worst run`,
      `≤ ${TARGETS.bigMB} MB (${bigMiB.toFixed(0)} MiB)`,
      `${big.rss.max.toFixed(0)} MiB (${(big.rss.max / MB).toFixed(0)} MB)`,
      mark(big.rss.max <= bigMiB),
    ],
    [
      `time linear in jobs (${SIZES.join(", ")} jobs)`,
      `R² ≥ ${TARGETS.linearR2}, ms per added variant grows ≤ ${TARGETS.linearSlopeRatio}×`,
      `R² ${lin.line.r2.toFixed(4)}, ${lin.slopeRatio.toFixed(2)}×`,
      mark(lin.linear),
    ],
  ];
  const pt = phaseTables(sc);
  const typicalUses = [
    ty.t.langs.length > 0 ? `\`packages = [${ty.t.langs.map((l) => `"${l}"`).join(", ")}]\`` : "",
    ty.t.dbs.length > 0 ? `\`services = [${ty.t.dbs.map((l) => `"${l}"`).join(", ")}]\`` : "",
  ]
    .filter(Boolean)
    .join(" and ");

  return `## Render (\`bench/render.mjs\`)

Run with \`pnpm bench:render\` (builds, then runs \`node bench/render.mjs\`; ${Math.max(1, Math.round(totalS / 60))} min on the machine
below; \`--quick\` for a smoke run, \`--no-write\` to print instead of writing this section).
It spawns the built CLI as a user runs it, \`node core/bin/cig.js --cwd <repo> render\`,
on generated repositories in a temporary directory, each render into an empty
\`.github/\` unless said otherwise. Every render is checked before it counts: exit 0,
"1 file(s) written", and \`${WORKFLOW}\` parsed (with the \`yaml\` package) to the
expected jobs, each with its matrix size, \`needs\` and the setup-node step lang/node adds.
Wall time is spawn → exit of the process, measured by the bench; processes get the
host's allow-listed environment (as in the plugin-host bench). **Peak RSS** is the
cig process's own \`VmHWM\` at exit (\`/proc/self/status\`, written by
\`bench/lib/peak-rss-hook.mjs\`, preloaded with \`node --import\`)${HAVE_TIME ? '; the "with plugins" column is `/usr/bin/time -f %M`, which reports the largest of the process and every child it reaped (the plugins), not a sum' : ""}.

Plugins each render starts: only the std modules its \`cig.toml\` uses (by each module's
\`module.toml\` \`[provides]\`), plus the provider of the output — for the typical project
${ty.started.map((n) => `\`${n}\``).join(", ")}; for the generated ones \`lang/node\`, \`db/postgres\` and \`provider/github\`.
(Std plugins registered when this ran: ${[...stdPlugins().keys()].map((p) => `\`${p}\``).join(", ")}.)

Two things overlap since cig starts plugins while it checks \`cig.toml\` and sends Plan before
it builds the job graph: in the phase table below, "plugin start" includes most of loading
\`cig.toml\` and "plan" includes the graph. And \`cig render\` loads the core bundled
(\`core/dist/cli/bundle.mjs\` and the chunks of the render command, ~90 ms to import here) while
the baseline process and the phase probe import its ~400 modules (~185 ms): the typical ratio is
~0.1× kinder to the render than a baseline with the bundled core would be.

**Targets**

${table(["target", "bar", "measured", ""], targetRows)}

**Machine**

${machineMarkdown(facts)}
- **Load average** (1 min): ${load.start} at the start, ${load.end} at the end, ${load.min}–${load.max} over the measured runs (a shared VM: other work may run beside the bench; compare rows within this run)

**In short:**

${inShort({ ...ty, pluginCount: ty.started.length }, sc, lin)}

### 1. Typical project

A web app's \`cig.toml\`: \`lint\`, \`test\` (matrix node 3 × os 2 − 1 exclude, a cache,
\`{{ }}\` variables), \`build\`, \`deploy\` (\`needs\` both, another runner, \`if\`,
\`github = { environment }\`): ${ty.t.variants} variants; ${typicalUses || "no module-backed packages"} on the first three jobs
(a Node web app with Postgres and Redis: the issue's "1 provider + 3 modules", as far as those modules
are registered; the repository has the files lang/node detects, \`package.json\` with
\`packageManager\`, \`.nvmrc\`, \`pnpm-lock.yaml\`). Output:
${ty.out.jobs} GitHub jobs, ${ty.out.lines} lines. The baseline (\`bench/lib/spawn-plugins.mjs\`) is a fresh
\`node\` that imports \`core/dist\`, starts the same plugins (\`selectPlugins\` +
\`PluginHost.start\`: spawn, handshake, Info, all in parallel) and shuts them
down. ${REPS.typical} runs each after one warm-up round, interleaved render / baseline, ms:

${table(
  ["", "min", "p50", "max"],
  [
    ["`cig render`, wall", ms(ty.render.min), `**${ms(ty.render.p50)}**`, ms(ty.render.max)],
    ["baseline process, wall", ms(ty.spawnWall.min), `**${ms(ty.spawnWall.p50)}**`, ms(ty.spawnWall.max)],
    ["… Node start → first line", ms(ty.spawnBoot.min), ms(ty.spawnBoot.p50), ms(ty.spawnBoot.max)],
    ["… importing the core", ms(ty.spawnImport.min), ms(ty.spawnImport.p50), ms(ty.spawnImport.max)],
    [
      `… \`PluginHost.start\`, ${ty.started.length} plugins in parallel`,
      ms(ty.spawnStart.min),
      ms(ty.spawnStart.p50),
      ms(ty.spawnStart.max),
    ],
    ["… shutdown", ms(ty.spawnShutdown.min), ms(ty.spawnShutdown.p50), ms(ty.spawnShutdown.max)],
    ["`cig render`, CPU time of the cig process", ms(ty.renderCpu.min), ms(ty.renderCpu.p50), ms(ty.renderCpu.max)],
    ...(HAVE_TIME
      ? [["`cig render`, CPU time of cig + plugins", ms(ty.renderCpuAll.min), ms(ty.renderCpuAll.p50), ms(ty.renderCpuAll.max)]]
      : []),
    ["baseline, CPU time of the core process", ms(ty.spawnCpu.min), ms(ty.spawnCpu.p50), ms(ty.spawnCpu.max)],
    ...(HAVE_TIME
      ? [["baseline, CPU time of core + plugins", ms(ty.spawnCpuAll.min), ms(ty.spawnCpuAll.p50), ms(ty.spawnCpuAll.max)]]
      : []),
    ["render ÷ baseline process (p50 ÷ p50)", "", `**${ratio.toFixed(2)}×**`, ""],
    ["render ÷ (start + shutdown) (p50 ÷ p50)", "", `${strictRatio.toFixed(2)}×`, ""],
  ],
)}

Peak RSS of the cig process: ${ty.rss.p50.toFixed(0)} MiB p50, ${ty.rss.max.toFixed(0)} MiB max${HAVE_TIME ? `; with plugins (%M): ${ty.maxRss.p50.toFixed(0)} MiB p50` : ""}.

### 2. 125 to ${int(BIG)} jobs

Generated \`cig.toml\` (\`bench/lib/render-fixture.mjs\`): N jobs \`pkg0000\`…, each a matrix of
exactly ${VARIANTS_PER_JOB} variants, in four shapes used in turn (node × os − exclude with a cache; one
5-value axis on another runner with env; node × os + include; a postgres service table
with a health check), 1–2 steps with \`{{ }}\` and matrix references, \`packages = ["node"]\`
everywhere (lang/node adds pnpm, setup-node and install steps to every variant), \`needs\` a tree
of fan-out 4 plus every tenth job its predecessor. The provider groups each job's variants
into one GitHub job with \`strategy.matrix\`. ${REPS.scaling} renders per size after one warm-up
render each, sizes round-robin:

${table(
  [
    "jobs",
    "variants",
    "cig.toml",
    "workflow",
    "min ms",
    "p50 ms",
    "max ms",
    "p50 µs / variant",
    "CPU ms: cig",
    ...(HAVE_TIME ? ["CPU ms: cig + plugins"] : []),
    "peak RSS p50 / max",
    ...(HAVE_TIME ? ["with plugins p50"] : []),
  ],
  sc.sizes.map((s) => [
    int(s.jobs),
    int(s.variants),
    `${s.configKiB.toFixed(0)} KiB`,
    `${int(s.out.lines)} lines, ${(s.out.bytes / 1024).toFixed(0)} KiB`,
    ms(s.wall.min),
    `**${ms(s.wall.p50)}**`,
    ms(s.wall.max),
    ((1000 * s.wall.p50) / s.variants).toFixed(0),
    ms(s.cpu.p50),
    ...(HAVE_TIME ? [ms(s.cpuAll.p50)] : []),
    `${s.rss.p50.toFixed(0)} / ${s.rss.max.toFixed(0)} MiB`,
    ...(HAVE_TIME ? [`${s.maxRss.p50.toFixed(0)} MiB`] : []),
  ]),
)}

Cost per added variant between sizes (p50): ${lin.steps.map((s) => `${int(s.from.jobs)} → ${int(s.to.jobs)} jobs ${(s.perVariant * 1000).toFixed(0)} µs`).join(", ")}.
Least-squares line through the p50s: ${ms(lin.line.intercept)} ms + ${(lin.line.slope * 1000).toFixed(0)} µs × variants (R² ${lin.line.r2.toFixed(4)}).${
    HAVE_TIME
      ? `
The same for the CPU time of cig + plugins (less sensitive to other load on the machine than
wall time): ${lin.cpu.steps.map((x) => `${(x.perVariant * 1000).toFixed(0)} µs`).join(", ")} per added variant; line ${ms(lin.cpu.line.intercept)} ms + ${(lin.cpu.line.slope * 1000).toFixed(0)} µs × variants (R² ${lin.cpu.line.r2.toFixed(4)}); last step ÷ first step ${lin.cpu.slopeRatio.toFixed(2)}×.`
      : ""
  }

Re-rendering ${int(big.jobs)} jobs when \`${WORKFLOW}\` is already up to date ("0 file(s) written"),
${REPS.unchanged} runs: ${ms(sc.unchanged.wall.p50)} ms p50 (min ${ms(sc.unchanged.wall.min)}, max ${ms(sc.unchanged.wall.max)}), ${sc.unchanged.rss.max.toFixed(0)} MiB peak.

### 3. Where the time goes

\`bench/lib/render-phases.mjs\`, a fresh \`node\` per run, runs the real \`runPipeline\`
of \`core/dist\` (what \`cig render\` runs) with \`PluginHost.start\`, \`shutdown\` and the
hook calls of \`LoadedPlugin\` wrapped to take timestamps, then \`writeOutputs\`; a phase
between two wrapped calls is the gap between them (config = before \`PluginHost.start\`,
graph = between the last Detect and the first Plan, …). ${REPS.phases} runs per size.
${int(big.variants)} variants, ms:

${pt.main}

p50 per phase by size, ms (a phase that grows much faster than the variants is not linear):

${pt.scale}

The two big RPCs at ${int(big.variants)} variants: the probe also runs provider/github's own
\`generateWorkflows\` and \`validateWorkflows\` in its process on the very requests the
plugin got (first call of that code in the process, as in the plugin), so the rest of the
RPC is encoding, the transfer over the socket, and decoding on both sides:

${pt.rpc}
`;
}

// ---------------------------------------------------------------------------

async function main() {
  const t0 = performance.now();
  const load = { start: loadavg()[0].toFixed(2) };
  const facts = machineFacts();
  const commands = selectPlugins(stdPlugins(), [{ provider: "github" }], ROOT);
  const plugins = commands.map((c) => c.displayName ?? c.command);
  log(`${facts.cpu}, ${facts.cores} cores, Node ${facts.node}${Q ? " (quick run)" : ""}; plugins: ${plugins.join(", ")}`);
  if (!HAVE_TIME) log(`${TIME} not found: peak RSS from the preloaded hook only`);
  if (!existsSync(join(ROOT, "core/dist/cli/main.js")) || !statSync(CIG).isFile()) throw new Error("build first: pnpm run build");

  const ty = await benchTypical(plugins);
  const sc = await benchScaling();
  const lin = linearity(sc.sizes);
  lin.cpu = linearity(sc.sizes, (s) => s.cpuAll.p50);
  load.end = loadavg()[0].toFixed(2);
  load.min = Math.min(...loadSamples).toFixed(2);
  load.max = Math.max(...loadSamples).toFixed(2);
  const totalS = (performance.now() - t0) / 1000;

  const section = renderSection({ facts, ty, sc, lin, load, totalS });
  if (flags["no-write"]) {
    process.stdout.write(section);
  } else {
    writeSection(OUT, "render", section);
    log(`wrote ${OUT}`);
  }
  log(`done in ${totalS.toFixed(0)} s`);
}

await main();
