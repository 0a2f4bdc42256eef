#!/usr/bin/env node
// Work-signature benchmark: `cig compute-signatures --json` (the built CLI,
// spawned as a user runs it) against `turbo run build --dry=json` (npm
// `turbo`'s prebuilt binary) on a synthetic npm-workspaces monorepo of 200
// packages × 250 files, in five scenarios: clean, 1 % dirty, 1 % untracked,
// clean with git's untracked cache on, a root input changed. Both tools run in the same rounds, interleaved, and
// must agree on which tasks changed (against the clean tree) with each other
// and with the fixture's own account of what it touched; any disagreement is
// printed and the bench exits 1 without writing. Run after `pnpm build`:
//
//   node bench/signatures.mjs [--quick] [--no-write] [--out <file>]
//
// --quick: 2 rounds per scenario instead of 7, for checking the bench itself; never writes.
// --no-write: print the section instead of writing it.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { benchFlags, ROOT } from "./lib/bench-flags.mjs";
import { machineFacts, machineMarkdown } from "./lib/machine.mjs";
import {
  jobId,
  makeMonorepo,
  packageName,
  ROOT_INPUT,
  removeMonorepo,
  restore,
  scenarios,
  withDependents,
} from "./lib/monorepo-fixture.mjs";
import { bareEnv, HAVE_TIME, RSS_HOOK, runMeasured, TIME } from "./lib/processes.mjs";
import { writeSection } from "./lib/results-doc.mjs";
import { int, mark, ms, summarize, table } from "./lib/stats.mjs";

const { flags, out: OUT } = benchFlags();
const CIG = join(ROOT, "core/bin/cig.js");
const NODE = process.execPath;
const Q = flags.quick;
const REPS = Q ? 2 : 7;
const TARGETS = { p50Ms: 500, turboRatio: 0.5, rssMB: 250 };
const MB = 1e6 / 1024 ** 2; // MiB per MB
// Telemetry off for both tools; no CI variables leak in from the host (bareEnv keeps an allow-list).
const ENV = { ...bareEnv(), TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
// turbo ≥ 2.? never uses its daemon for `turbo run` (--no-daemon only prints a deprecation
// warning); --skip-infer stops it looking for a repo-local turbo to hand over to.
const TURBO_ARGS = ["run", "build", "--dry=json", "--skip-infer"];

const log = (msg) => process.stderr.write(`[bench:signatures] ${msg}\n`);

/** The platform binary inside npm's `turbo` package (`@turbo/<os>-<arch>/bin/turbo`), and its version. */
function turboBinary() {
  const fromRoot = createRequire(join(ROOT, "package.json"));
  const turboPkg = fromRoot.resolve("turbo/package.json");
  const arch = { x64: "64", arm64: "arm64" }[process.arch] ?? process.arch;
  const os = process.platform === "win32" ? "windows" : process.platform;
  const platformPkg = createRequire(turboPkg).resolve(`@turbo/${os}-${arch}/package.json`);
  const { version } = JSON.parse(readFileSync(platformPkg, "utf8"));
  return { bin: join(platformPkg, "..", "bin", process.platform === "win32" ? "turbo.exe" : "turbo"), version };
}

// ---------------------------------------------------------------------------
// Running processes
// ---------------------------------------------------------------------------

const loadSamples = [];

/** `command args` in `cwd` with the bench's environment, measured by {@link runMeasured}. */
function run(command, args, { cwd, own = false }) {
  return runMeasured(command, args, { cwd, env: ENV, own, loadSamples });
}

const fail = (what, r) => new Error(`${what} exited ${r.code}:\n${r.stdout.slice(0, 2000)}${r.stderr.slice(0, 4000)}`);

/** `cig compute-signatures --json` in the repo; resolves with the run and job id → signature. */
async function cig(repo) {
  const r = await run(NODE, ["--import", RSS_HOOK, CIG, "compute-signatures", "--json"], { cwd: repo.dir, own: true });
  if (r.code !== 0) throw fail("cig compute-signatures --json", r);
  let doc;
  try {
    doc = JSON.parse(r.stdout);
  } catch (e) {
    throw new Error(`cig compute-signatures --json printed no JSON document (${e.message}):\n${r.stdout.slice(0, 2000)}`);
  }
  if (doc.version !== 1 || !Array.isArray(doc.signatures)) throw new Error(`unexpected cig document: ${r.stdout.slice(0, 500)}`);
  if (doc.source !== "git") throw new Error(`cig read the repository from "${doc.source}", expected "git"`);
  const sigs = new Map();
  const decisions = new Map();
  for (const s of doc.signatures) {
    if (s.variant !== s.job) throw new Error(`job ${s.job} has variant ${s.variant}: the fixture has no matrices`);
    if (!/^blake3:[0-9a-f]{64}$/.test(s.signature)) throw new Error(`job ${s.job}: malformed signature ${s.signature}`);
    if (s.skippable !== true) throw new Error(`job ${s.job} is not skippable, yet it has skip_if`);
    sigs.set(s.job, s.signature);
    decisions.set(s.job, s.should_run ? s.reason : "skip");
  }
  if (sigs.size !== repo.count) throw new Error(`cig returned ${sigs.size} signatures, expected ${repo.count}`);
  const warnings = (doc.diagnostics ?? []).filter((d) => d.level === "warning" || d.level === "error");
  return { ...r, sigs, decisions, warnings };
}

/**
 * Records a pass of every job of the committed tree in the repository's
 * default store (`.cig/passes`, gitignored), as `cig record-pass` does after
 * a job succeeded — in one process through the core's own functions, since
 * `cig record-pass` takes one id and ~1.5 s per call here. The timed runs then
 * decide against a store, as in CI after main passed.
 */
async function recordPasses(repo) {
  const url = (f) => JSON.stringify(pathToFileURL(join(ROOT, f)).href);
  const source = `
const { runPipeline } = await import(${url("core/dist/pipeline/run-pipeline.js")});
const { signaturesOf } = await import(${url("core/dist/cli/signature-run.js")});
const { passManifest } = await import(${url("core/dist/signatures/index.js")});
const { stdModuleProvides, stdPlugins } = await import(${url("core/dist/cli/std-plugins.js")});
const cwd = process.cwd();
const planned = await runPipeline({ cwd, stdPlugins: stdPlugins(), stdModules: stdModuleProvides(), stopAfter: "plan" });
if (planned.failed) throw new Error(JSON.stringify(planned.diagnostics.map((d) => d.code + ": " + d.message)));
const run = await signaturesOf(cwd, planned, {});
for (const r of run.computed.results) await run.store.record(passManifest(r));
process.stdout.write(JSON.stringify(run.computed.results.map((r) => [r.job, r.signature])));
`;
  const r = await run(NODE, ["--input-type=module", "-e", source], { cwd: repo.dir });
  if (r.code !== 0) throw fail("recording the passes of the clean tree", r);
  return new Map(JSON.parse(r.stdout));
}

/** `turbo run build --dry=json`; resolves with the run and job id → task hash. */
async function turbo(repo, bin) {
  const r = await run(bin, TURBO_ARGS, { cwd: repo.dir });
  if (r.code !== 0) throw fail("turbo run build --dry=json", r);
  const doc = JSON.parse(r.stdout);
  const byName = new Map(Array.from({ length: repo.count }, (_, i) => [packageName(i), jobId(i)]));
  const sigs = new Map();
  for (const t of doc.tasks) {
    const job = byName.get(t.package);
    if (!job || t.task !== "build") throw new Error(`unexpected turbo task ${t.taskId}`);
    sigs.set(job, t.hash);
  }
  if (sigs.size !== repo.count) throw new Error(`turbo planned ${sigs.size} build tasks, expected ${repo.count}`);
  return { ...r, sigs };
}

/** Job ids whose signature differs between `before` and `after` (sorted). */
const changed = (before, after) => [...after.keys()].filter((k) => before.get(k) !== after.get(k)).sort();
const sameSigs = (a, b) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

function describeDiff(name, want, got) {
  const w = new Set(want);
  const g = new Set(got);
  const missing = want.filter((x) => !g.has(x));
  const extra = got.filter((x) => !w.has(x));
  return `${name}: ${got.length} changed, expected ${want.length}; missing ${missing.slice(0, 12).join(", ") || "none"}${missing.length > 12 ? " …" : ""}; unexpected ${extra.slice(0, 12).join(", ") || "none"}${extra.length > 12 ? " …" : ""}`;
}

// ---------------------------------------------------------------------------
// The measurement
// ---------------------------------------------------------------------------

async function bench(repo, turboBin) {
  const results = [];
  const mismatches = [];
  const tr = performance.now();
  const recorded = await recordPasses(repo);
  log(`recorded ${recorded.size} passes of the clean tree in .cig/passes (${ms(performance.now() - tr)} ms)`);
  let before;
  for (const sc of scenarios(repo)) {
    restore(repo);
    const touched = sc.apply(repo);
    const expected = withDependents(repo, touched);
    // A warm-up pair, not counted (page cache, git's index refresh); its answers are the check.
    const c0 = await cig(repo);
    const t0 = await turbo(repo, turboBin);
    before ??= { cig: c0.sigs, turbo: t0.sigs };
    const cigChanged = changed(before.cig, c0.sigs);
    const turboChanged = changed(before.turbo, t0.sigs);
    const problems = [];
    if ((sc.name === "clean" || sc.name === "untracked-cache") && !sameSigs(recorded, c0.sigs))
      problems.push("cig compute-signatures disagrees with the recorded passes");
    // Against the store: exactly the changed jobs run, touched ones for their files, the others for their upstream.
    const direct = new Set(touched.map(jobId));
    const wrong = [...c0.decisions].filter(
      ([job, got]) => got !== (expected.includes(job) ? (direct.has(job) ? "files_changed" : "upstream_changed") : "skip"),
    );
    if (wrong.length > 0)
      problems.push(
        `cig's decisions: ${wrong.length} wrong, e.g. ${wrong
          .slice(0, 6)
          .map(([job, got]) => `${job} ${got}`)
          .join(", ")}`,
      );
    if (cigChanged.join() !== expected.join()) problems.push(describeDiff("cig", expected, cigChanged));
    if (turboChanged.join() !== expected.join()) problems.push(describeDiff("turbo", expected, turboChanged));
    if (cigChanged.join() !== turboChanged.join()) problems.push(describeDiff("cig against turbo", turboChanged, cigChanged));
    for (const p of problems) {
      log(`MISMATCH in ${sc.name}: ${p}`);
      mismatches.push(`${sc.name}: ${p}`);
    }
    log(`${sc.name}: ${expected.length} tasks changed (cig ${cigChanged.length}, turbo ${turboChanged.length}); ${REPS} rounds`);
    const cigRuns = [];
    const turboRuns = [];
    for (let i = 0; i < REPS; i++) {
      // Alternate who goes first, so neither always gets the warmer cache.
      let c;
      let t;
      if (i % 2 === 0) {
        c = await cig(repo);
        t = await turbo(repo, turboBin);
      } else {
        t = await turbo(repo, turboBin);
        c = await cig(repo);
      }
      if (!sameSigs(c.sigs, c0.sigs) || !sameSigs(c.decisions, c0.decisions))
        mismatches.push(`${sc.name}: cig's answers changed between rounds`);
      if (!sameSigs(t.sigs, t0.sigs)) mismatches.push(`${sc.name}: turbo's hashes changed between rounds`);
      cigRuns.push(c);
      turboRuns.push(t);
      log(`  round ${i + 1}: cig ${ms(c.wallMs)} ms, ${c.rssMiB.toFixed(0)} MiB; turbo ${ms(t.wallMs)} ms`);
    }
    const sum = (runs, pick) => summarize(runs.map(pick));
    results.push({
      ...sc,
      touched: touched.length,
      expected: expected.length,
      cigChanged: cigChanged.length,
      turboChanged: turboChanged.length,
      warnings: c0.warnings,
      cig: sum(cigRuns, (r) => r.wallMs),
      cigRss: sum(cigRuns, (r) => r.rssMiB),
      cigMaxRss: sum(cigRuns, (r) => r.maxRssMiB),
      cigCpu: sum(cigRuns, (r) => r.cpuMs),
      cigCpuAll: sum(cigRuns, (r) => r.cpuAllMs),
      turbo: sum(turboRuns, (r) => r.wallMs),
      turboMaxRss: sum(turboRuns, (r) => r.maxRssMiB),
      turboCpuAll: sum(turboRuns, (r) => r.cpuAllMs),
    });
  }
  restore(repo);
  return { results, mismatches };
}

// ---------------------------------------------------------------------------
// The section
// ---------------------------------------------------------------------------

function section({ facts, repo, fixtureS, turboInfo, results, load, totalS }) {
  const worstP50 = Math.max(...results.map((r) => r.cig.p50));
  const ratios = results.map((r) => r.cig.p50 / r.turbo.p50);
  const worstRatio = Math.max(...ratios);
  const worstRss = Math.max(...results.map((r) => r.cigRss.max));
  const rssMiB = TARGETS.rssMB * MB;
  const worst = (xs, v) => results[xs.indexOf(v)]?.name;
  const edges = repo.deps.reduce((a, d) => a + d.length, 0);
  const targets = [
    [
      "`cig compute-signatures` wall, p50, worst scenario",
      `≤ ${TARGETS.p50Ms / 1000} s`,
      `${ms(worstP50)} ms (${worst(
        results.map((r) => r.cig.p50),
        worstP50,
      )})`,
      mark(worstP50 <= TARGETS.p50Ms),
    ],
    [
      "÷ `turbo run build --dry=json` in the same rounds (p50 ÷ p50), worst scenario",
      `≤ ${TARGETS.turboRatio}×`,
      `${worstRatio.toFixed(2)}× (${worst(ratios, worstRatio)})`,
      mark(worstRatio <= TARGETS.turboRatio),
    ],
    [
      "peak RSS of the cig process, worst run",
      `≤ ${TARGETS.rssMB} MB (${rssMiB.toFixed(0)} MiB)`,
      `${worstRss.toFixed(0)} MiB (${(worstRss / MB).toFixed(0)} MB)`,
      mark(worstRss <= rssMiB),
    ],
  ];
  const rows = results.map((r, i) => [
    r.label,
    `${r.expected} / ${r.cigChanged} / ${r.turboChanged}`,
    `${ms(r.cig.min)} / **${ms(r.cig.p50)}** / ${ms(r.cig.p90)}`,
    `${ms(r.turbo.min)} / **${ms(r.turbo.p50)}** / ${ms(r.turbo.p90)}`,
    `${ratios[i].toFixed(2)}×`,
    `${ms(r.cigCpu.p50)}${HAVE_TIME ? ` / ${ms(r.cigCpuAll.p50)}` : ""}`,
    ...(HAVE_TIME ? [ms(r.turboCpuAll.p50)] : []),
    `${r.cigRss.max.toFixed(0)}${HAVE_TIME ? ` / ${r.cigMaxRss.max.toFixed(0)}` : ""}`,
    ...(HAVE_TIME ? [r.turboMaxRss.max.toFixed(0)] : []),
  ]);
  const warned = results.filter((r) => r.warnings.length > 0);
  return `## Work signatures (\`bench/signatures.mjs\`)

Run with \`node bench/signatures.mjs\` after \`pnpm build\` (${Math.max(1, Math.round(totalS / 60))} min on the machine below;
\`--quick\` for a smoke run that never writes, \`--no-write\` to print instead of writing this section).
It times \`cig compute-signatures --json\` (the built CLI, \`node core/bin/cig.js\`, spawned in the
repository as a user runs it) against \`turbo run build --dry=json\` (turbo ${turboInfo.version}, the prebuilt
binary of npm's \`turbo\` package run directly, with \`--skip-infer\`; telemetry off through
\`TURBO_TELEMETRY_DISABLED=1\` and \`DO_NOT_TRACK=1\`; turbo 2.11 no longer uses its daemon for
\`turbo run\`, so there is none to switch off), both with the host's allow-listed environment.

**The repository** (\`bench/lib/monorepo-fixture.mjs\`, generated and committed in a temporary
directory, ${fixtureS.toFixed(0)} s): an npm-workspaces monorepo of ${repo.count} packages, ${int(repo.fileCount)} tracked files
(250 per package: \`package.json\`, \`README.md\`, \`tsconfig.json\`, an executable
\`scripts/build.sh\`, and TypeScript sources nested up to four directories deep under \`src/\` and
\`test/\`), \`package-lock.json\` (v3, workspace links only), \`turbo.json\` with one \`build\` task
(\`dependsOn: ["^build"]\`, default inputs, \`globalDependencies: ["${ROOT_INPUT}"]\`), and a
\`cig.toml\` with one job per package: \`skip_if = { paths_unmodified = ["packages/<pkg>/**", "${ROOT_INPUT}"] }\`
and \`needs\` equal to the package's workspace dependencies (${edges} edges, a layered DAG: core
libraries, libraries, apps), so both tools hash the same files and chain the same dependencies.

**Scenarios**, each against the committed tree: ${results.map((r) => r.label).join("; ")}.
Before them, a pass of every job of the clean tree is recorded in cig's default store
(\`.cig/passes\`, what \`cig record-pass\` writes), so that cig decides against a store as in CI
after main passed (turbo's dry run likewise looks each hash up in its empty local cache).
Per scenario one warm-up pair (not counted), then ${REPS} rounds of cig and turbo, alternating which
runs first. **Check:** the warm-up answers are compared with the clean tree's: the jobs whose
cig signature changed, the packages whose turbo hash changed, and the packages the scenario
touched plus their transitive dependents must be the same set; cig must decide to run exactly
those jobs (reason \`files_changed\` for the touched packages, \`upstream_changed\` for their
dependents) and skip the rest; every round must repeat the warm-up's answers. Otherwise the
bench fails without writing this section.
Wall time is spawn → exit, measured by the bench. **Peak RSS** of cig is the process's own
\`VmHWM\` (\`bench/lib/peak-rss-hook.mjs\`)${HAVE_TIME ? "; the second number and turbo's are `/usr/bin/time -f %M` (the largest of the process and the children it reaped, e.g. git)" : ""}.

**Targets**

${table(["target", "bar", "measured", ""], targets)}

**Machine**

${machineMarkdown(facts)}
- **Load average** (1 min): ${load.start} at the start, ${load.end} at the end, ${load.min}–${load.max} over the measured runs (a shared VM: compare rows within this run)

${table(
  [
    "scenario",
    "changed: expected / cig / turbo",
    "cig ms min / p50 / p90",
    "turbo ms min / p50 / p90",
    "cig ÷ turbo p50",
    HAVE_TIME ? "cig CPU ms p50: own / with git" : "cig CPU ms p50",
    ...(HAVE_TIME ? ["turbo CPU ms p50"] : []),
    HAVE_TIME ? "cig peak RSS MiB: own / %M" : "cig peak RSS MiB",
    ...(HAVE_TIME ? ["turbo %M MiB"] : []),
  ],
  rows,
)}
${
  warned.length > 0
    ? `\ncig's warnings: ${warned.map((r) => `${r.name}: ${r.warnings.map((w) => `\`${w.code ?? w.title ?? JSON.stringify(w)}\``).join(", ")}`).join("; ")}.\n`
    : ""
}`;
}

// ---------------------------------------------------------------------------

/** Does the built CLI have the command? (commander prints the general help for an unknown one.) */
async function hasComputeSignatures() {
  const r = await run(NODE, [CIG, "compute-signatures", "--help"], { cwd: ROOT });
  return r.code === 0 && /Usage: cig compute-signatures/.test(r.stdout);
}

async function main() {
  const t0 = performance.now();
  const load = { start: loadavg()[0].toFixed(2) };
  const facts = machineFacts();
  if (!existsSync(join(ROOT, "core/dist/cli/main.js"))) throw new Error("build first: pnpm run build");
  if (!(await hasComputeSignatures())) throw new Error("core/bin/cig.js has no compute-signatures command: pnpm run build");
  const turboInfo = turboBinary();
  log(`${facts.cpu}, ${facts.cores} cores, Node ${facts.node}, turbo ${turboInfo.version}${Q ? " (quick run)" : ""}`);
  if (!HAVE_TIME) log(`${TIME} not found: peak RSS from the preloaded hook only, none for turbo`);

  const tf = performance.now();
  const repo = makeMonorepo();
  const fixtureS = (performance.now() - tf) / 1000;
  log(`fixture: ${repo.count} packages, ${int(repo.fileCount)} files in ${repo.dir} (${fixtureS.toFixed(1)} s)`);
  let out;
  try {
    out = await bench(repo, turboInfo.bin);
  } finally {
    removeMonorepo(repo);
  }
  load.end = loadavg()[0].toFixed(2);
  load.min = Math.min(...loadSamples).toFixed(2);
  load.max = Math.max(...loadSamples).toFixed(2);
  const totalS = (performance.now() - t0) / 1000;
  const text = section({ facts, repo, fixtureS, turboInfo, ...out, load, totalS });
  if (out.mismatches.length > 0) {
    process.stdout.write(`${text.trimEnd()}\n`);
    log(`FAILED: cig and turbo (or the fixture) disagree:\n  ${[...new Set(out.mismatches)].join("\n  ")}`);
    process.exitCode = 1;
  } else if (flags["no-write"] || Q) {
    process.stdout.write(`${text.trimEnd()}\n`);
    if (Q && !flags["no-write"]) log("quick run: printed, not written");
  } else {
    writeSection(OUT, "signatures", text);
    log(`wrote ${OUT}`);
  }
  log(`done in ${totalS.toFixed(0)} s`);
}

await main();
