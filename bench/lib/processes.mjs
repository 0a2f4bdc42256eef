// Timing whole child processes: bare interpreter starts, plugins run by hand
// (without the magic cookie), and module-load probes.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ENV_ALLOW_LIST } from "../../core/dist/index.js";
import { summarize } from "./stats.mjs";

/**
 * The environment a plugin gets from the host, minus the magic cookie and the
 * CIG_* offer: the same variables, so a bare start pays what a plugin pays
 * (the host withholds e.g. NODE_EXTRA_CA_CERTS, ~55 ms per Node start).
 */
export function bareEnv(parent = process.env) {
  const env = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value !== undefined && (ENV_ALLOW_LIST.includes(key) || key.startsWith("LC_"))) env[key] = value;
  }
  return env;
}

/**
 * Runs a command to its exit; resolves with wall ms, exit code, stdout, and
 * `firstStderrMs`: when the first byte of stderr arrived (a plugin run by
 * hand writes its "started by cig" message there once its modules are loaded).
 */
export function timeProcess(command, args, { env = bareEnv(), cwd } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let firstStderrMs;
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", () => {
      firstStderrMs ??= performance.now() - t0;
    });
    child.once("error", reject);
    let exit;
    let open = 2;
    const done = () => {
      if (exit && open === 0) resolve({ ...exit, stdout, firstStderrMs });
    };
    for (const stream of [child.stdout, child.stderr]) {
      stream.once("close", () => {
        open--;
        done();
      });
    }
    child.once("exit", (code) => {
      exit = { wallMs: performance.now() - t0, code };
      done();
    });
  });
}

/** Runs `count` copies of a command at once; resolves with the wall ms until the last exits. */
export async function timeParallel(count, command, args, options) {
  const t0 = performance.now();
  const runs = await Promise.all(Array.from({ length: count }, () => timeProcess(command, args, options)));
  return { wallMs: performance.now() - t0, codes: runs.map((r) => r.code) };
}

const HERE = fileURLToPath(new URL(".", import.meta.url));
const COUNT_HOOKS = pathToFileURL(join(HERE, "module-count-hooks.mjs")).href;

/**
 * Source of a Node probe that imports `steps` one after the other in a fresh
 * process and prints, as JSON, the ms from process start to user code and the
 * ms of each import (each step pays only for modules not loaded before it).
 * With `countFile`, a loader hook lists every ESM file loaded, and the CJS
 * module cache is listed after each step: the files each step brought in.
 */
function nodeProbeSource(steps, countFile) {
  return `
const steps = ${JSON.stringify(steps)};
const countFile = ${JSON.stringify(countFile ?? null)};
const { default: Module } = await import("node:module");
const { readFileSync, existsSync } = await import("node:fs");
const { fileURLToPath } = await import("node:url");
if (countFile) Module.register(${JSON.stringify(COUNT_HOOKS)}, { data: { out: countFile } });
const seen = new Set();
const files = () => {
  const now = new Set(Object.keys(Module._cache));
  if (countFile && existsSync(countFile)) {
    for (const u of readFileSync(countFile, "utf8").split("\\n")) if (u.startsWith("file:")) now.add(fileURLToPath(u));
  }
  const added = [...now].filter((f) => !seen.has(f));
  for (const f of added) seen.add(f);
  return added;
};
files();
const bootMs = performance.now();
const out = [];
for (const step of steps) {
  const t0 = performance.now();
  for (const spec of step.specs) await import(spec);
  out.push({ label: step.label, ms: performance.now() - t0, files: countFile ? files() : [] });
}
process.stdout.write(JSON.stringify({ bootMs, steps: out }));
`;
}

/**
 * Measures the import cost of `steps` ({label, specs}) `reps` times, each in a
 * fresh `node` whose bare specifiers resolve from `cwd`; plus one counting run.
 */
export async function nodeModuleLoad(steps, { cwd, reps }) {
  const runs = [];
  for (let i = 0; i < reps; i++) {
    const r = await timeProcess(process.execPath, ["--input-type=module", "-e", nodeProbeSource(steps)], { cwd });
    if (r.code !== 0) throw new Error(`node module-load probe failed (exit ${r.code})`);
    runs.push({ ...JSON.parse(r.stdout), wallMs: r.wallMs });
  }
  const dir = mkdtempSync(join(tmpdir(), "cig-bench-"));
  let counted;
  try {
    const r = await timeProcess(process.execPath, ["--input-type=module", "-e", nodeProbeSource(steps, join(dir, "loaded.txt"))], { cwd });
    if (r.code !== 0) throw new Error(`node module-count probe failed (exit ${r.code})`);
    counted = JSON.parse(r.stdout).steps;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    boot: summarize(runs.map((r) => r.bootMs)),
    wall: summarize(runs.map((r) => r.wallMs)),
    steps: steps.map((s, i) => ({
      label: s.label,
      ms: summarize(runs.map((r) => r.steps[i].ms)),
      files: counted[i].files.length,
      bytes: counted[i].files.reduce((sum, f) => sum + fileSize(f), 0),
    })),
  };
}

function fileSize(path) {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * Measures Python import steps ({label, module}) `reps` times, each in a fresh
 * interpreter with `paths` prepended to sys.path, as the plugin's entry does.
 */
export async function pythonModuleLoad(python, steps, { paths, reps }) {
  const source = `
import json, sys, time
sys.dont_write_bytecode = True
sys.path[:0] = ${JSON.stringify(paths)}
out = []
for label, module in ${JSON.stringify(steps.map((s) => [s.label, s.module]))}:
    before = set(sys.modules)
    t0 = time.perf_counter()
    __import__(module)
    out.append({"label": label, "ms": (time.perf_counter() - t0) * 1000, "modules": len(set(sys.modules) - before)})
print(json.dumps(out))
`;
  const runs = [];
  for (let i = 0; i < reps; i++) {
    const r = await timeProcess(python, ["-c", source]);
    if (r.code !== 0) throw new Error(`python module-load probe failed (exit ${r.code})`);
    runs.push({ steps: JSON.parse(r.stdout), wallMs: r.wallMs });
  }
  return {
    wall: summarize(runs.map((r) => r.wallMs)),
    steps: steps.map((s, i) => ({
      label: s.label,
      ms: summarize(runs.map((r) => r.steps[i].ms)),
      modules: runs[0].steps[i].modules,
    })),
  };
}

/** Peak resident set of a live process in MiB (VmHWM), or undefined. */
export function peakRssMiB(pid) {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** GNU time, for the peak RSS and CPU of a process and the children it reaped. */
export const TIME = "/usr/bin/time";
export const HAVE_TIME = existsSync(TIME);
/** Preload that writes a Node process's own peak RSS and CPU time to $CIG_BENCH_PEAK_RSS_FILE. */
export const RSS_HOOK = pathToFileURL(join(fileURLToPath(new URL(".", import.meta.url)), "peak-rss-hook.mjs")).href;

/**
 * Runs `command args` under /usr/bin/time when present and resolves with
 * wall ms (spawn → exit, measured here), exit code, stdout, stderr, and:
 * `rssMiB`/`cpuMs`, the process's own peak RSS and CPU from the preloaded
 * hook (a Node process started with `--import RSS_HOOK` and `own: true`);
 * `maxRssMiB`, /usr/bin/time's %M (the largest of the process and every child
 * it reaped: plugins, git); `cpuAllMs`, %U + %S (the process and its children).
 * Each call's 1-minute load average goes into `loadSamples` when given.
 */
export function runMeasured(command, args, { cwd, env = bareEnv(), own = false, loadSamples } = {}) {
  loadSamples?.push(loadavg()[0]);
  const dir = mkdtempSync(join(tmpdir(), "cig-bench-run-"));
  const rssFile = join(dir, "rss");
  const timeFile = join(dir, "time");
  const [cmd, argv] = HAVE_TIME ? [TIME, ["-f", "%e %M %U %S", "-o", timeFile, command, ...args]] : [command, args];
  const childEnv = own ? { ...env, CIG_BENCH_PEAK_RSS_FILE: rssFile } : env;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { cwd, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    let stderr = "";
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.setEncoding("utf8").on("data", (d) => {
      stderr += d;
    });
    child.once("error", reject);
    child.once("close", (code) => {
      const wallMs = performance.now() - t0;
      const read = (f) => (existsSync(f) ? readFileSync(f, "utf8").trim() : "");
      const [ownKiB, userUs, sysUs] = read(rssFile).split(" ").map(Number);
      const timed = read(timeFile).split("\n").pop()?.split(" ") ?? [];
      rmSync(dir, { recursive: true, force: true });
      resolve({
        wallMs,
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr,
        rssMiB: ownKiB > 0 ? ownKiB / 1024 : Number.NaN,
        cpuMs: userUs >= 0 && sysUs >= 0 ? (userUs + sysUs) / 1000 : Number.NaN,
        maxRssMiB: HAVE_TIME && timed[1] ? Number(timed[1]) / 1024 : Number.NaN,
        cpuAllMs: HAVE_TIME && timed[3] ? (Number(timed[2]) + Number(timed[3])) * 1000 : Number.NaN,
      });
    });
  });
}
