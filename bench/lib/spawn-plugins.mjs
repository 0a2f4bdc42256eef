// The baseline of the typical render: a fresh core process that starts the
// plugins `cig render` would start for <repo dir> (every std module and
// provider/github, as selectPlugins picks them), in parallel with
// PluginHost.start, then shuts them down; nothing else. Run by bench/render.mjs
// as `node bench/lib/spawn-plugins.mjs <repo dir> [--only a,b]`; prints JSON
// (ms): Node start to this module, importing the core, PluginHost.start,
// shutdown. --only: just these std plugins (and provider/github).
const boot = performance.now();
const { PluginHost } = await import("../../core/dist/index.js");
const { stdPlugins } = await import("../../core/dist/cli/std-plugins.js");
const { selectPlugins } = await import("../../core/dist/pipeline/select-plugins.js");
const importCore = performance.now() - boot;
const [cwd, flag, names] = process.argv.slice(2);
const only = flag === "--only" ? new Set([...(names ?? "").split(","), "provider/github"]) : undefined;
const std = new Map([...stdPlugins()].filter(([name]) => !only || only.has(name)));
const commands = selectPlugins(std, [{ provider: "github" }], cwd);
const t0 = performance.now();
const host = await PluginHost.start(commands);
const t1 = performance.now();
await host.shutdown();
const t2 = performance.now();
process.stdout.write(JSON.stringify({ boot, importCore, start: t1 - t0, shutdown: t2 - t1, plugins: host.plugins.map((p) => p.name) }));
