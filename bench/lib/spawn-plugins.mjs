// The baseline of the typical render: a fresh core process that starts the
// plugins `cig render` would start for <repo dir> (the std modules its
// cig.toml uses and provider/github, picked by selectPlugins exactly as the
// pipeline picks them), in parallel with PluginHost.start, then shuts them
// down; nothing else. Run by bench/render.mjs
// as `node bench/lib/spawn-plugins.mjs <repo dir> [--only a,b]`; prints JSON
// (ms): Node start to this module, importing the core, PluginHost.start,
// shutdown. --only: just these std plugins (and provider/github).
const boot = performance.now();
const { PluginHost } = await import("../../core/dist/index.js");
const { stdModuleProvides, stdPlugins } = await import("../../core/dist/cli/std-plugins.js");
const { selectPlugins } = await import("../../core/dist/pipeline/select-plugins.js");
const { loadConfig } = await import("../../core/dist/config/load-config.js");
const { readFileSync } = await import("node:fs");
const { join } = await import("node:path");
const importCore = performance.now() - boot;
const [cwd, flag, names] = process.argv.slice(2);
const only = flag === "--only" ? new Set([...(names ?? "").split(","), "provider/github"]) : undefined;
const std = new Map([...stdPlugins()].filter(([name]) => !only || only.has(name)));
// Reading cig.toml to select is part of the baseline: the pipeline cannot pick its plugins without it.
const text = readFileSync(join(cwd, "cig.toml"), "utf8");
const { schema } = loadConfig(text, "cig.toml");
const commands = selectPlugins(std, [{ provider: "github" }], cwd, { schema, text, provides: stdModuleProvides() });
const t0 = performance.now();
const host = await PluginHost.start(commands);
const t1 = performance.now();
await host.shutdown();
const t2 = performance.now();
process.stdout.write(JSON.stringify({ boot, importCore, start: t1 - t0, shutdown: t2 - t1, plugins: host.plugins.map((p) => p.name) }));
