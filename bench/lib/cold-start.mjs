// One plugin start by a fresh core process, as in a real `cig` run: run as
// `node bench/lib/cold-start.mjs <plugin command> [args...]` by the
// plugin-host bench; prints JSON timings (ms): Node start to this module,
// importing the core, then the plugin's handshake, Info and first Detect.
const boot = performance.now();
const { hostBreakdown } = await import("./host-probes.mjs");
const importCore = performance.now() - boot;
const [command, ...args] = process.argv.slice(2);
const r = await hostBreakdown({ command, args });
process.stdout.write(JSON.stringify({ boot, importCore, ...r }));
