#!/usr/bin/env node
// Plugin-host benchmarks: plugin startup against a bare interpreter start,
// parallel startup, unary latency and throughput, Generate streaming, and
// memory. Run with `pnpm bench` (builds first); rewrites the plugin-host
// section of docs/benchmarks.md.
//
//   node bench/plugin-host.mjs [--quick] [--no-write] [--out <file>]
//
// --quick: few repetitions, for checking that the bench itself works.
// --no-write: print the section instead of writing it.
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PluginHost } from "../core/dist/index.js";
import { DetectRequestSchema, pluginServiceDefinition } from "../proto/dist/src/index.js";
import { benchFlags, ROOT } from "./lib/bench-flags.mjs";
import { bundleInChild } from "./lib/bundle.mjs";
import { http2Floor, netFloor } from "./lib/floors.mjs";
import { coreFloor, DETECT_REQ, hostBreakdown, hostFirstCall } from "./lib/host-probes.mjs";
import { machineFacts, machineMarkdown } from "./lib/machine.mjs";
import { bareEnv, nodeModuleLoad, peakRssMiB, pythonModuleLoad, timeParallel, timeProcess } from "./lib/processes.mjs";
import { writeSection } from "./lib/results-doc.mjs";
import { deltaMs, int, mark, mib, ms, summarize, table } from "./lib/stats.mjs";

const { flags, out: OUT } = benchFlags();
const LANG_NODE = join(ROOT, "plugins-std/lang-node/bin/cig-plugin-lang-node.js");
const LANG_NODE_MAIN = join(ROOT, "plugins-std/lang-node/dist/main.js");
const PY_DIR = join(ROOT, "examples/plugins/python-policy");
const PY_PLUGIN = join(PY_DIR, "cig-plugin-python-policy");
const MISBEHAVING = join(ROOT, "core/test/fixtures/misbehaving-plugin.mjs");
const STREAM_PLUGIN = join(ROOT, "bench/stream-plugin.mjs");
const COLD_START = join(ROOT, "bench/lib/cold-start.mjs");
const PYTHON = "/usr/bin/python3";
const NODE = process.execPath;

const Q = flags.quick;
const REPS = {
  startWarmup: Q ? 1 : 2,
  start: Q ? 4 : 20,
  moduleLoad: Q ? 3 : 15,
  cold: Q ? 3 : 10,
  bundle: Q ? 3 : 12,
  parallel: Q ? 3 : 10,
  unaryWarmup: Q ? 50 : 3000,
  unary: Q ? 200 : 1000,
  concurrency: 64,
  concurrentNode: Q ? 2000 : 5000,
  concurrentPython: Q ? 500 : 3000,
  streamReps: Q ? 2 : 5,
};
const TARGETS = { overheadMs: 60, unaryP50Ms: 0.5 };
const STREAMS = [
  { count: 2000, bytes: 64 * 1024 },
  { count: 20000, bytes: 1024 },
];

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const rss = {};
const snapshotRss = (phase) => {
  rss[phase] = process.resourceUsage().maxRSS / 1024;
};

// ---------------------------------------------------------------------------
// 1. Spawn → first successful call
// ---------------------------------------------------------------------------

/**
 * Runs every probe of `probes` once per round, interleaved so that drift of
 * the machine hits all of them alike; returns the samples of each probe.
 */
async function interleaved(probes, { warmup, reps }) {
  const samples = Object.fromEntries(Object.keys(probes).map((k) => [k, []]));
  for (let i = 0; i < warmup + reps; i++) {
    for (const [name, probe] of Object.entries(probes)) {
      const value = await probe();
      if (i >= warmup) samples[name].push(value);
    }
  }
  return samples;
}

/** A plugin run by hand (no cookie): ms to its "started by cig" message on stderr, and to its exit. */
async function byHand(command, args) {
  const r = await timeProcess(command, args);
  if (r.code !== 1 || r.firstStderrMs === undefined) {
    throw new Error(`${command} ${args.join(" ")} exited ${r.code}, expected 1 with a message (no magic cookie)`);
  }
  return { msg: r.firstStderrMs, exit: r.wallMs };
}

/** A fresh `node` that imports the core and starts one plugin: the cold path of a real `cig` run. */
async function coldStart(cmd) {
  const r = await timeProcess(NODE, [COLD_START, cmd.command, ...(cmd.args ?? [])], { env: bareEnv() });
  if (r.code !== 0) throw new Error(`cold start of ${cmd.command} failed (exit ${r.code})`);
  const j = JSON.parse(r.stdout);
  return { ...j, sinceStart: j.boot + j.importCore + j.first };
}

async function benchColdStart() {
  log("startup: cold core (fresh node process per start)");
  const runs = [];
  for (let i = 0; i < REPS.cold; i++) runs.push(await coldStart({ command: LANG_NODE }));
  return Object.fromEntries(Object.keys(runs[0]).map((k) => [k, summarize(runs.map((r) => r[k]))]));
}

async function benchNodeStartup() {
  log("startup: lang/node");
  const s = await interleaved(
    {
      nodeE: async () => (await timeProcess(NODE, ["-e", ""])).wallMs,
      nodeFile: () => byHand(NODE, [LANG_NODE]),
      execFile: () => byHand(LANG_NODE, []),
      floor: coreFloor,
      host: () => hostFirstCall({ command: LANG_NODE }),
      breakdown: () => hostBreakdown({ command: LANG_NODE }),
    },
    { warmup: REPS.startWarmup, reps: REPS.start },
  );
  return summarizeStartup(s);
}

async function benchPythonStartup() {
  log("startup: python-policy");
  const s = await interleaved(
    {
      pyC: async () => (await timeProcess(PYTHON, ["-c", ""])).wallMs,
      execFile: () => byHand(PY_PLUGIN, []),
      host: () => hostFirstCall({ command: PY_PLUGIN }),
      breakdown: () => hostBreakdown({ command: PY_PLUGIN }),
    },
    { warmup: REPS.startWarmup, reps: REPS.start },
  );
  return summarizeStartup(s);
}

function summarizeStartup(s) {
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === "host") {
      out.ready = summarize(v.map((x) => x.ready));
      out.first = summarize(v.map((x) => x.first));
      out.shutdown = summarize(v.map((x) => x.shutdown));
    } else if (k === "breakdown") {
      out.handshake = summarize(v.map((x) => x.handshake));
      out.info = summarize(v.map((x) => x.info));
      out.detect = summarize(v.map((x) => x.detect));
    } else if (typeof v[0] === "object") {
      out[k] = summarize(v.map((x) => x.exit));
      out[`${k}Msg`] = summarize(v.map((x) => x.msg));
    } else {
      out[k] = summarize(v);
    }
  }
  return out;
}

async function benchModuleLoad() {
  log("startup: where the time goes (module loading)");
  const node = await nodeModuleLoad(
    [
      { label: "`@grpc/grpc-js`", specs: ["@grpc/grpc-js"] },
      { label: "`@bufbuild/protobuf`", specs: ["@bufbuild/protobuf"] },
      { label: "`@bufbuild/protobuf/codegenv2` + `/wkt`", specs: ["@bufbuild/protobuf/codegenv2", "@bufbuild/protobuf/wkt"] },
      { label: "`@cig/proto` (generated descriptors, service definition)", specs: ["@cig/proto"] },
      { label: "`@cig/sdk` (rest of the SDK)", specs: ["./dist/index.js"] },
      { label: "lang/node's own modules", specs: [pathToFileURL(join(ROOT, "plugins-std/lang-node/dist/detect-node.js")).href] },
    ],
    { cwd: join(ROOT, "sdk"), reps: REPS.moduleLoad },
  );
  let python;
  if (existsSync(PY_PLUGIN)) {
    python = await pythonModuleLoad(
      PYTHON,
      [
        { label: "`cig_plugin` (runtime, stdlib only)", module: "cig_plugin" },
        { label: "`grpc` (python3-grpcio)", module: "grpc" },
        { label: "`google.protobuf` + generated `cig.plugin.v1` stubs", module: "cig.plugin.v1.plugin_pb2_grpc" },
        { label: "`policy_service` + `policy`", module: "policy_service" },
      ],
      { paths: [PY_DIR, join(PY_DIR, "gen")], reps: REPS.moduleLoad },
    );
  }
  return { node, python };
}

/** What bundling the plugin into one file would buy: lang/node bundled with rolldown. */
async function benchBundled() {
  const dir = mkdtempSync(join(tmpdir(), "cig-bench-bundle-"));
  try {
    const file = join(dir, "cig-plugin-lang-node.mjs");
    const version = await bundleInChild(LANG_NODE_MAIN, file);
    if (!version) {
      log("bundled lang/node: rolldown not found, skipped");
      return undefined;
    }
    log(`startup: lang/node bundled with rolldown ${version}`);
    const s = await interleaved(
      {
        nodeFile: () => byHand(NODE, [LANG_NODE]),
        nodeBundle: () => byHand(NODE, [file]),
        hostFile: () => hostFirstCall({ command: NODE, args: [LANG_NODE] }),
        hostBundle: () => hostFirstCall({ command: NODE, args: [file] }),
      },
      { warmup: 1, reps: REPS.bundle },
    );
    return {
      version,
      bundleKiB: statSync(file).size / 1024,
      nodeFileMsg: summarize(s.nodeFile.map((x) => x.msg)),
      nodeBundleMsg: summarize(s.nodeBundle.map((x) => x.msg)),
      hostFile: summarize(s.hostFile.map((x) => x.first)),
      hostBundle: summarize(s.hostBundle.map((x) => x.first)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// 2. Parallel startup
// ---------------------------------------------------------------------------

const capsCmd = (i) => ({
  command: MISBEHAVING,
  args: ["caps", JSON.stringify({ name: `bench/p${i}`, capabilities: [`bench:p${i}`] })],
});

async function hostReady(cmds) {
  const t0 = performance.now();
  const host = await PluginHost.start(cmds);
  const wall = performance.now() - t0;
  await host.shutdown();
  return wall;
}

async function benchParallel() {
  log("parallel: 1 vs 5 plugins");
  const s = await interleaved(
    {
      host1: () => hostReady([capsCmd(1)]),
      host5: () => hostReady([1, 2, 3, 4, 5].map(capsCmd)),
      bare1: async () => (await timeParallel(1, MISBEHAVING, capsCmd(1).args)).wallMs,
      bare5: async () => (await timeParallel(5, MISBEHAVING, capsCmd(1).args)).wallMs,
    },
    { warmup: 1, reps: REPS.parallel },
  );
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, summarize(v)]));
}

// ---------------------------------------------------------------------------
// 3. Unary latency and throughput
// ---------------------------------------------------------------------------

/** Time cap of one measurement loop, so that every block stays short (see withHost). */
const LOOP_CAP_MS = 3000;

async function sequential(call, { warmup, reps }) {
  for (let i = 0; i < warmup; i++) await call();
  const samples = [];
  const until = performance.now() + LOOP_CAP_MS;
  for (let i = 0; i < reps && performance.now() < until; i++) {
    const t0 = performance.now();
    await call();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

/** `inFlight` callers looping until `total` calls have started (or the time cap passed). */
async function concurrent(call, { inFlight, total }) {
  const latencies = [];
  let started = 0;
  const until = performance.now() + LOOP_CAP_MS;
  const worker = async () => {
    while (started < total && performance.now() < until) {
      started++;
      const t0 = performance.now();
      await call();
      latencies.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const wall = performance.now() - t0;
  return { total: started, inFlight, wallMs: wall, perSec: (started / wall) * 1000, latency: summarize(latencies) };
}

/** DETECT_REQ serialised, with the protobuf-es the core uses (bench/ has no node_modules). */
async function detectRequestBytes() {
  const cjs = createRequire(join(ROOT, "proto", "package.json")).resolve("@bufbuild/protobuf");
  const { create, toBinary } = await import(pathToFileURL(cjs.replace("/dist/cjs/", "/dist/esm/")).href);
  return Buffer.from(toBinary(DetectRequestSchema, create(DetectRequestSchema, DETECT_REQ)));
}

/** grpc-js alone: a pre-serialised request, bytes in and out, no protobuf-es and no host wrapper. */
function rawDetectCall(plugin, bytes) {
  const method = pluginServiceDefinition.detect;
  const client = plugin.process.client;
  const id = (b) => b;
  return () =>
    new Promise((resolve, reject) => {
      client.makeUnaryRequest(method.path, id, id, bytes, { deadline: Date.now() + 30_000 }, (err, v) => (err ? reject(err) : resolve(v)));
    });
}

/**
 * Runs `fn` on a freshly started host and shuts the host down. Every
 * measurement block gets its own host and stays short (a few seconds), so
 * blocks are independent of each other and of how long a plugin has run.
 */
async function withHost(cmds, fn) {
  const host = await PluginHost.start(cmds);
  try {
    return await fn(host.plugins);
  } finally {
    await host.shutdown();
  }
}

async function benchUnary(python) {
  const bytes = await detectRequestBytes();
  const seq = { warmup: REPS.unaryWarmup, reps: REPS.unary };
  const out = { seq: {}, conc: {}, requestBytes: bytes.length, pluginRss: {} };
  log("unary: round-trip floors (plain unix socket, node:http2)");
  out.seq.floorNet = await netFloor(bytes, seq);
  out.seq.floorHttp2 = await http2Floor(bytes, seq);

  const info = (p) => () => p.ping();
  const detect = (p) => () => p.detect(DETECT_REQ);
  const rss = (key, p) => {
    out.pluginRss[key] = Math.max(out.pluginRss[key] ?? 0, peakRssMiB(p.process.pid) ?? 0) || undefined;
  };
  const plugins = [["node", { command: LANG_NODE }, REPS.concurrentNode]];
  if (python) plugins.push(["py", { command: PY_PLUGIN }, REPS.concurrentPython]);
  for (const [key, cmd, total] of plugins) {
    log(`unary: ${key === "node" ? "lang/node" : "python-policy"}, sequential and ${REPS.concurrency} in flight`);
    out.seq[`${key}Info`] = await withHost([cmd], ([p]) => sequential(info(p), seq));
    out.seq[`${key}Detect`] = await withHost([cmd], async ([p]) => {
      const s = await sequential(detect(p), seq);
      rss(key, p);
      return s;
    });
    out.seq[`${key}Raw`] = await withHost([cmd], ([p]) => sequential(rawDetectCall(p, bytes), seq));
    out.conc[`${key}1`] = await withHost([cmd], async ([p]) => {
      await sequential(detect(p), { warmup: REPS.unaryWarmup, reps: 0 });
      return concurrent(detect(p), { inFlight: 1, total: REPS.unary });
    });
    out.conc[key] = await withHost([cmd], async ([p]) => {
      await sequential(detect(p), { warmup: REPS.unaryWarmup, reps: 0 });
      const c = await concurrent(detect(p), { inFlight: REPS.concurrency, total });
      rss(key, p);
      return c;
    });
  }
  return out;
}

// ---------------------------------------------------------------------------
// 4. Streaming
// ---------------------------------------------------------------------------

async function benchStreaming() {
  log("streaming: bench/stream-plugin.mjs");
  const run = async (p, { count, bytes }) => {
    const t0 = performance.now();
    const res = await p.generate({ target: `stream:${count}:${bytes}` });
    const wall = performance.now() - t0;
    let got = 0;
    for (const r of res) got += r.fragments[0].content.length;
    if (res.length !== count || got !== count * bytes)
      throw new Error(`stream ${count}×${bytes}: got ${res.length} messages, ${got} bytes`);
    return wall;
  };
  let pluginRss = 0;
  const out = [];
  for (const cfg of STREAMS) {
    const samples = [];
    for (let i = 0; i < REPS.streamReps; i++) {
      // One host per run (see withHost), warmed up by a short stream of the same shape.
      samples.push(
        await withHost([{ command: STREAM_PLUGIN }], async ([p]) => {
          await run(p, { count: Math.ceil(cfg.count / 10), bytes: cfg.bytes });
          const wall = await run(p, cfg);
          pluginRss = Math.max(pluginRss, peakRssMiB(p.process.pid) ?? 0);
          return wall;
        }),
      );
    }
    const s = summarize(samples);
    out.push({ ...cfg, wall: s, mibPerSec: (cfg.count * cfg.bytes) / 1024 ** 2 / (s.p50 / 1000), msgPerSec: cfg.count / (s.p50 / 1000) });
  }
  return { runs: out, pluginRss: pluginRss || undefined };
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

const row3 = (label, s) => [label, ms(s.min), ms(s.p50), ms(s.p90)];
const overRow = (label, a, b) => [label, "", `**${deltaMs(a.p50 - b.p50)}**`, ""];

function startupTables(r, cold, py, bundled, mods, coldFloor) {
  const out = [];
  out.push(`### 1. Spawn → first successful call

${REPS.start} runs per row (after ${REPS.startWarmup} warm-up rounds), interleaved round by round, ms.
Run without the magic cookie, a plugin loads all its modules, then prints
"This is a cig plugin…" to stderr and exits 1: the time to that message is
Node's start plus the module loading of the same plugin file, the **bare
baseline** (stricter than the time to its exit, also shown). The bare runs get
the environment the host gives plugins (which withholds e.g.
\`NODE_EXTRA_CA_CERTS\`, ~55 ms per Node start). The host runs the plugin file
itself (shebang \`#!/usr/bin/env node\`), as cig does.

**lang/node** (\`plugins-std/lang-node/bin/cig-plugin-lang-node.js\`):

${table(
  ["", "min", "p50", "p90"],
  [
    row3('`node -e ""`, to exit', r.nodeE),
    row3("`node <plugin file>`, no cookie: to its message", r.nodeFileMsg),
    row3("`<plugin file>` via its shebang, no cookie: to its message — **bare baseline**", r.execFileMsg),
    row3("`<plugin file>` via its shebang, no cookie: to its exit", r.execFile),
    row3("core alone: stand-in plugin that answers at once (`bench/instant-handshake.sh`), spawn → handshake line", r.floor),
    row3("host: spawn → handshake line (`PluginProcess.start`)", r.handshake),
    row3("host: + Info answered (`PluginHost.start` resolved)", r.ready),
    row3("host: + one Detect answered — **first successful call**", r.first),
    overRow("**first successful call − bare baseline** (p50 − p50)", r.first, r.execFileMsg),
    overRow("first successful call − bare run to its exit (p50 − p50)", r.first, r.execFile),
    overRow("handshake line − bare baseline (p50 − p50)", r.handshake, r.execFileMsg),
    row3("split: Info, the first call on the link (after the handshake line)", r.info),
    row3("split: then the first Detect", r.detect),
    row3("shutdown (Shutdown RPC, exit, reap)", r.shutdown),
  ],
)}

The handshake and split rows come from separate runs one level down
(\`PluginProcess.start\`, then Info and Detect through \`PluginRpc\`, which is what
\`PluginHost.start\` does), so their p50s need not add up to the host rows exactly.
In this bench process the core's code is warm after the first start; the very
first start of the stand-in plugin took ${ms(coldFloor)} ms (warm: ${ms(r.floor.p50)} ms).

**Cold core**: a fresh \`node\` per start (\`bench/lib/cold-start.mjs\`, same environment as the
bare runs) imports the core and starts lang/node once, like a \`cig\` run; ${REPS.cold} runs, ms:

${table(
  ["", "min", "p50", "p90"],
  [
    row3("Node start → first line of the script", cold.boot),
    row3("importing the core (`core/dist`: grpc-js, protobuf-es, `@cig/proto`)", cold.importCore),
    row3("spawn → handshake line", cold.handshake),
    row3("Info, the first call", cold.info),
    row3("then the first Detect", cold.detect),
    row3(`spawn → first Detect answered (warm core above: ${ms(r.first.p50)} p50)`, cold.first),
    row3("**core process start → first Detect answered**", cold.sinceStart),
  ],
)}`);

  if (py) {
    out.push(`**example/python-policy** (\`examples/plugins/python-policy/cig-plugin-python-policy\`,
python3-grpcio, unix-socket transport; its entry imports grpcio only when
started by cig, so its bare baseline does not include loading gRPC):

${table(
  ["", "min", "p50", "p90"],
  [
    row3("`/usr/bin/python3 -c ''`, to exit", py.pyC),
    row3("`<plugin file>` via its shebang, no cookie: to its message — **bare baseline**", py.execFileMsg),
    row3("`<plugin file>` via its shebang, no cookie: to its exit", py.execFile),
    row3("host: spawn → handshake line", py.handshake),
    row3("host: + Info answered", py.ready),
    row3("host: + one Detect answered — **first successful call**", py.first),
    overRow("**first successful call − bare baseline** (p50 − p50)", py.first, py.execFileMsg),
    overRow("first successful call − bare run to its exit (p50 − p50)", py.first, py.execFile),
    row3("split: Info, the first call (connects the plugin's unix socket)", py.info),
    row3("split: then the first Detect", py.detect),
    row3("shutdown", py.shutdown),
  ],
)}`);
  }

  const nm = mods.node;
  const sumFiles = nm.steps.reduce((a, s) => a + s.files, 0);
  const sumBytes = nm.steps.reduce((a, s) => a + s.bytes, 0);
  out.push(`#### Where the startup time goes

Module loading, each step imported in order in a fresh \`node\` (${REPS.moduleLoad} runs, bare
specifiers resolved from \`sdk/\`); a step pays only for what earlier steps did
not load. Files and bytes from one more run with a loader hook listing every
module loaded.

${table(
  ["step", "min ms", "p50 ms", "files", "source"],
  [
    ["Node start → first line of user code (`performance.now()` there)", ms(nm.boot.min), ms(nm.boot.p50), "", ""],
    ...nm.steps.map((s) => [s.label, ms(s.ms.min), ms(s.ms.p50), String(s.files), `${(s.bytes / 1024).toFixed(0)} KiB`]),
    ["**all imports**", "", `**${ms(importsP50(nm))}**`, String(sumFiles), `${(sumBytes / 1024).toFixed(0)} KiB`],
  ],
)}`);
  if (mods.python) {
    out.push(`Python, the same way (\`/usr/bin/python3\`; "modules" counts new \`sys.modules\` entries):

${table(
  ["step", "min ms", "p50 ms", "modules"],
  mods.python.steps.map((s) => [s.label, ms(s.ms.min), ms(s.ms.p50), String(s.modules)]),
)}`);
  }
  if (bundled) {
    out.push(`**Experiment: lang/node bundled into one file.** \`plugins-std/lang-node/dist/main.js\` and
everything it imports (SDK, \`@cig/proto\`, protobuf-es, grpc-js) bundled by rolldown
${bundled.version} (from the pnpm store, a dependency of vite) into one minified ESM file of
${bundled.bundleKiB.toFixed(0)} KiB in a temporary directory; both started as \`node <file>\`, ${REPS.bundle} runs each, ms:

${table(
  ["", "min", "p50", "p90"],
  [
    row3("`node <plugin file>` as built today, no cookie: to its message", bundled.nodeFileMsg),
    row3("`node <bundle>`, no cookie: to its message", bundled.nodeBundleMsg),
    row3("host → first Detect, as built today", bundled.hostFile),
    row3("host → first Detect, bundled", bundled.hostBundle),
  ],
)}`);
  }
  return out.join("\n\n");
}

function importsP50(nm) {
  return nm.steps.reduce((a, s) => a + s.ms.p50, 0);
}

function whereTimeGoes(r, cold, py, mods, bundled, coldFloor) {
  const nm = mods.node;
  const step = (i) => nm.steps[i].ms.p50;
  const lines = [
    `- **Module loading dominates.** \`node -e ""\` exits after ${ms(r.nodeE.p50)} ms; the plugin file run by hand reaches its message after ${ms(r.execFileMsg.p50)} ms. Its imports measure ${ms(importsP50(nm))} ms in a fresh process (${sumLabel(nm)} files): protobuf-es ${ms(step(1) + step(2))} ms, grpc-js ${ms(step(0))} ms, the generated \`@cig/proto\` ${ms(step(3))} ms, SDK and plugin ${ms(step(4) + step(5))} ms. This is paid before the plugin can write its handshake line, by every Node plugin, and it is not part of the "overhead" the target bounds.`,
    `- **The host's share is small.** With a stand-in plugin that writes its handshake at once, the core needs ${ms(r.floor.p50)} ms from \`PluginProcess.start\` to the handshake (socket, grpc-js connect, spawn, fd 3), ${ms(coldFloor)} ms the first time in a process (cold grpc-js and core code). After lang/node's handshake line, the first call (Info) takes ${ms(r.info.p50)} ms (HTTP/2 settings exchange, first-use costs in the plugin such as compiling protobuf-es readers and writers, and a garbage collection right after startup), the first Detect ${ms(r.detect.p50)} ms.`,
  ];
  lines.push(
    `- **A cold core pays the same bill once more.** A fresh core process spends ${ms(cold.boot.p50)} ms starting Node and ${ms(cold.importCore.p50)} ms importing the core (the same grpc-js and protobuf-es) before it can spawn anything, and its first Info takes ${ms(cold.info.p50)} ms instead of ${ms(r.info.p50)} ms: ${ms(cold.sinceStart.p50)} ms from core process start to the first Detect answered (p50).`,
  );
  if (bundled) {
    lines.push(
      `- **Bundling pays.** One bundled file reaches its message in ${ms(bundled.nodeBundleMsg.p50)} ms instead of ${ms(bundled.nodeFileMsg.p50)} ms, and the host's first Detect comes after ${ms(bundled.hostBundle.p50)} ms instead of ${ms(bundled.hostFile.p50)} ms (p50): much of the module-loading cost is per-file work (resolving, reading, compiling ${sumLabel(nm)} files through Node's ESM loader), not the code itself.`,
    );
  }
  if (py && mods.python) {
    const g = mods.python.steps;
    lines.push(
      `- **Python** starts faster: the interpreter in ${ms(py.pyC.p50)} ms, the plugin's own runtime module by ${ms(py.execFileMsg.p50)} ms; once started by cig it imports grpcio (${ms(g[1].ms.p50)} ms) and the generated stubs with protobuf (${ms(g[2].ms.p50)} ms) before its handshake, which is its overhead beyond its bare baseline.`,
    );
  }
  return lines.join("\n");
}

function sumLabel(nm) {
  return String(nm.steps.reduce((a, s) => a + s.files, 0));
}

function parallelTable(p) {
  return `### 2. Five plugins in parallel

\`PluginHost.start\` with 1 and with 5 Node plugins (\`core/test/fixtures/misbehaving-plugin.mjs caps\`
with distinct names and capabilities): wall time until all are ready (spawned,
handshaken, Info answered), shutdown not included. The bare rows run the same
file without the cookie, 1 and 5 at once, to their exit. ${REPS.parallel} runs each, ms:

${table(
  ["", "min", "p50", "p90"],
  [
    row3("host, 1 plugin", p.host1),
    row3("host, 5 plugins at once", p.host5),
    row3("bare, 1 process", p.bare1),
    row3("bare, 5 processes at once", p.bare5),
  ],
)}

5 plugins at once take ${(p.host5.p50 / p.host1.p50).toFixed(2)}× the time of one (p50; one after another would be 5×);
5 bare processes take ${(p.bare5.p50 / p.bare1.p50).toFixed(2)}× — startup is CPU-bound module loading, so on
this ${facts().cores}-core machine parallelism gains ~${facts().cores}× at best.`;
}

function unaryTables(u) {
  const rows = [
    ["floor: plain unix-socket echo between two Node processes (no HTTP/2)", u.seq.floorNet],
    ["floor: `node:http2` POST echoed by a second Node process (no gRPC)", u.seq.floorHttp2],
    ["lang/node: Info (`LoadedPlugin.ping`)", u.seq.nodeInfo],
    ["lang/node: Detect (`LoadedPlugin.detect`)", u.seq.nodeDetect],
    ["lang/node: Detect, grpc-js alone (pre-serialised bytes, no protobuf-es, no host wrapper)", u.seq.nodeRaw],
  ];
  if (u.seq.pyInfo) {
    rows.push(
      ["python-policy: Info", u.seq.pyInfo],
      ["python-policy: Detect", u.seq.pyDetect],
      ["python-policy: Detect, grpc-js alone", u.seq.pyRaw],
    );
  }
  const conc = [["lang/node: Detect", u.conc.node1, u.conc.node], ...(u.conc.py ? [["python-policy: Detect", u.conc.py1, u.conc.py]] : [])];
  return `### 3. Unary call latency and throughput

Sequential calls through the host API (\`PluginRpc.unary\`: builds the message, sets a
deadline, maps errors), ${REPS.unary} measured after ${REPS.unaryWarmup} warm-up calls, each row on a freshly
started host (as is each throughput run, also after ${REPS.unaryWarmup} warm-up calls). The warm-up is long
enough for V8 to optimise both processes' call paths: this is the steady state of a
long-lived plugin (after only 300 calls the p50 was 0.52–0.99 ms in earlier runs; a
cig run makes a handful of calls per plugin, where startup, not latency, dominates). The Detect request
is a 3-file repo snapshot, ${u.requestBytes} bytes serialised; the floors bounce the same
${u.requestBytes} bytes. ms:

${table(
  ["call", "calls", "min", "p50", "p90", "p99", `p50 ≤ ${TARGETS.unaryP50Ms} ms`],
  rows.map(([label, s]) => [
    label,
    String(s.n),
    ms(s.min),
    ms(s.p50),
    ms(s.p90),
    ms(s.p99),
    label.startsWith("floor") ? "" : mark(s.p50 <= TARGETS.unaryP50Ms),
  ]),
)}

Throughput of Detect calls through the host API:

${table(
  ["plugin", "1 in flight: calls/s", `${REPS.concurrency} in flight: calls/s`, "(calls)", "latency p50 ms", "latency p99 ms"],
  conc.map(([label, one, many]) => [label, int(one.perSec), int(many.perSec), int(many.total), ms(many.latency.p50), ms(many.latency.p99)]),
)}`;
}

function streamTable(s) {
  return `### 4. Generate streaming

\`bench/stream-plugin.mjs\` (an SDK plugin) yields N \`GenerateResponse\`s of one K-byte
fragment each; the host collects them (\`LoadedPlugin.generate\`). ${REPS.streamReps} runs per size,
each on a freshly started host after a warm-up stream a tenth as long; throughput
from the p50 run:

${table(
  ["stream", "min ms", "p50 ms", "p90 ms", "MiB/s", "messages/s"],
  s.runs.map((r) => [
    `${int(r.count)} × ${r.bytes >= 1024 ? `${r.bytes / 1024} KiB` : `${r.bytes} B`} (${mib(r.count * r.bytes)} MiB)`,
    ms(r.wall.min),
    ms(r.wall.p50),
    ms(r.wall.p90),
    r.mibPerSec.toFixed(1),
    int(r.msgPerSec),
  ]),
)}`;
}

function memoryTable(u, s) {
  const rows = Object.entries(rss).map(([phase, v]) => [`core (the bench process), peak after ${phase}`, `${v.toFixed(0)} MiB`]);
  if (u.pluginRss.node) rows.push(["lang/node plugin, after the unary runs", `${u.pluginRss.node.toFixed(0)} MiB`]);
  if (u.pluginRss.py) rows.push(["python-policy plugin, after the unary runs", `${u.pluginRss.py.toFixed(0)} MiB`]);
  if (s.pluginRss) rows.push(["stream plugin, after the streams", `${s.pluginRss.toFixed(0)} MiB`]);
  return `### 5. Memory

Peak resident set: the core from \`process.resourceUsage().maxRSS\` (a running
maximum, so each row includes the phases before it; the streaming phase holds a
whole 125 MiB stream, as \`generate\` collects the responses into an array), the
plugins from \`VmHWM\` in \`/proc/<pid>/status\`.

${table(["process", "peak RSS"], rows)}`;
}

function targetsTable(r, py, u) {
  const over = r.first.p50 - r.execFileMsg.p50;
  const rows = [
    [
      "lang/node: spawn → first Detect answered, beyond a bare start of the same plugin file",
      `≤ ${TARGETS.overheadMs} ms`,
      `${deltaMs(over)} ms (p50 ${ms(r.first.p50)} vs ${ms(r.execFileMsg.p50)})`,
      mark(over <= TARGETS.overheadMs),
    ],
    [
      "lang/node: unary Detect p50",
      `≤ ${TARGETS.unaryP50Ms} ms`,
      `${ms(u.seq.nodeDetect.p50)} ms`,
      mark(u.seq.nodeDetect.p50 <= TARGETS.unaryP50Ms),
    ],
  ];
  if (py) {
    const pyOver = py.first.p50 - py.execFileMsg.p50;
    rows.push(
      [
        "python-policy, same measures (for comparison; the targets are set for Node plugins): startup overhead",
        `(≤ ${TARGETS.overheadMs} ms)`,
        `${deltaMs(pyOver)} ms (p50 ${ms(py.first.p50)} vs ${ms(py.execFileMsg.p50)})`,
        mark(pyOver <= TARGETS.overheadMs),
      ],
      [
        "python-policy: unary Detect p50",
        `(≤ ${TARGETS.unaryP50Ms} ms)`,
        `${ms(u.seq.pyDetect.p50)} ms`,
        mark(u.seq.pyDetect.p50 <= TARGETS.unaryP50Ms),
      ],
    );
  }
  return table(["target", "bar", "measured", ""], rows);
}

let factsCache;
function facts() {
  factsCache ??= machineFacts({ python: PYTHON });
  return factsCache;
}

function render({ node, cold, py, mods, bundled, par, unary, stream, pyError, coldFloor, totalS }) {
  return `## Plugin host (\`bench/plugin-host.mjs\`)

Run with \`pnpm bench\` (builds, then runs \`node bench/plugin-host.mjs\`; ${Math.max(1, Math.round(totalS / 60))} min on the machine
below; \`--quick\` for a smoke run, \`--no-write\` to print instead of writing this
section). It drives the real core (\`PluginHost\` and \`PluginProcess\` from
\`core/dist\`) against real plugin processes over real gRPC and measures: startup
of the Node std plugin lang/node and of the Python example plugin against a
bare start of the same file; 5 plugins started in parallel; unary latency and
throughput; Generate streaming; peak memory. Times are wall-clock on the core's
side, min/p50/p90 (p99 for call latency) over repeated runs. Compare rows
within one run (startup probes are interleaved round by round); between runs on
a shared virtual machine, absolute startup times moved by up to ~20 %.

**Targets**

${targetsTable(node, py, unary)}

**Machine**

${machineMarkdown(facts())}
${pyError ? `\n**Python plugin skipped:** ${pyError}\n` : ""}
${startupTables(node, cold, py, bundled, mods, coldFloor)}

**In short:**

${whereTimeGoes(node, cold, py, mods, bundled, coldFloor)}

${parallelTable(par)}

${unaryTables(unary)}

${streamTable(stream)}

${memoryTable(unary, stream)}
`;
}

// ---------------------------------------------------------------------------

async function pythonUsable() {
  if (!existsSync(PY_PLUGIN)) return "examples/plugins/python-policy/cig-plugin-python-policy not found";
  try {
    const host = await PluginHost.start([{ command: PY_PLUGIN }]);
    try {
      await host.plugins[0].detect(DETECT_REQ);
    } finally {
      await host.shutdown();
    }
    return undefined;
  } catch (err) {
    return `it did not start or answer Detect: ${err instanceof Error ? err.message : String(err)}`;
  }
}

async function main() {
  const t0 = performance.now();
  // Before anything else touches the host: the core's code is cold only once.
  const coldFloor = await coreFloor();
  const f = facts();
  log(`${f.cpu}, ${f.cores} cores, Node ${f.node}${Q ? " (quick run)" : ""}`);
  const pyError = await pythonUsable();
  if (pyError) log(`python-policy: ${pyError}; its rows are skipped`);

  const node = await benchNodeStartup();
  const cold = await benchColdStart();
  const py = pyError ? undefined : await benchPythonStartup();
  snapshotRss("the startup runs");
  const par = await benchParallel();
  snapshotRss("the parallel starts");
  const unary = await benchUnary(!pyError);
  snapshotRss("the unary calls");
  const stream = await benchStreaming();
  snapshotRss("the streams");
  // Child processes only: no effect on the core's memory.
  const mods = await benchModuleLoad();
  const bundled = await benchBundled();
  const totalS = (performance.now() - t0) / 1000;

  const section = render({ node, cold, py, mods, bundled, par, unary, stream, pyError, coldFloor, totalS });
  if (flags["no-write"]) {
    process.stdout.write(section);
  } else {
    writeSection(OUT, "plugin-host", section);
    log(`wrote ${OUT}`);
  }
  log(`done in ${totalS.toFixed(0)} s`);
}

await main();
