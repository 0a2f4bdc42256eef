import { Hook, type PluginInfo } from "@cig/proto";
import { runConformance } from "../conformance/run-conformance.js";
import { exitCodeFor } from "../errors/error-codes.js";
import { PluginHost } from "../plugin-host/plugin-host.js";
import { resolvePluginCommand } from "../plugin-host/plugin-resolver.js";
import { listRepo, snapshotFor } from "../repo/repo-snapshot.js";
import type { CliContext } from "./cli-context.js";
import { stdPlugins } from "./std-plugins.js";
import { FAIL, OK, paint } from "./terminal.js";

/** `cig plugin info <plugin...> [--detect]`: start plugins, print handshake and Info (and detection). */
export async function pluginInfo(ctx: CliContext, specs: string[], opts: { detect?: boolean }): Promise<number> {
  const std = stdPlugins();
  const commands = specs.map((s) => ({ ...resolvePluginCommand(s, ctx.cwd, std), cwd: ctx.cwd }));
  const say = (t: string) => !ctx.json && !ctx.quiet && ctx.term.out(t);
  say("Starting plugins...\n");
  const t0 = performance.now();
  const host = await PluginHost.start(commands, ctx.hostOptions);
  const startMs = Math.round(performance.now() - t0);
  try {
    const results = [];
    for (const p of host.plugins) {
      say(
        `  ${paint(ctx.term, "green", OK)} ${p.name}@${p.info.version} (${p.process.handshake.transport}, protocol ${p.info.protocol})\n`,
      );
    }
    say(paint(ctx.term, "dim", `  ${host.plugins.length} started in parallel in ${startMs} ms\n`));
    const listing = opts.detect ? listRepo(ctx.cwd) : undefined;
    for (const p of host.plugins) {
      const detect =
        listing && p.info.hooks.includes(Hook.DETECT)
          ? await p.detect({ repo: snapshotFor(ctx.cwd, listing, p.info.detectPatterns) })
          : undefined;
      results.push({
        ...infoJson(p.info),
        executable: p.command.command,
        pid: p.process.pid,
        handshake: p.process.handshake,
        ...(detect
          ? {
              detect: {
                signals: detect.signals,
                facts: detect.facts,
                confidence: round(detect.confidence),
                diagnostics: detect.diagnostics.length,
              },
            }
          : {}),
      });
      if (ctx.json) continue;
      const i = p.info;
      const row = (k: string, v: string) => ctx.term.out(`  ${paint(ctx.term, "dim", k.padEnd(13))} ${v}\n`);
      const list = (xs: readonly string[]) => (xs.length > 0 ? xs.join(", ") : "—");
      ctx.term.out(`\n${paint(ctx.term, "bold", `${i.name} ${i.version}`)}${i.description ? ` — ${i.description}` : ""}\n`);
      row("executable", `${p.command.command} (pid ${p.process.pid})`);
      const hs = p.process.handshake;
      row("handshake", `${hs.handshakeVersion}|${hs.protocol}|${hs.transport}|${hs.address}|grpc`);
      row("capabilities", list(i.capabilities));
      row("requires", list(i.requires));
      row("conflicts", list(i.conflictsWith));
      row("hooks", list(i.hooks.map((h) => Hook[h].toLowerCase())));
      if (i.detectPatterns.length > 0) row("detects", list(i.detectPatterns));
      for (const [k, v] of Object.entries(i.metadata).sort()) row(k, v);
      if (detect) {
        ctx.term.out(`\n  Detecting in ${ctx.cwd}...\n`);
        const mark = detect.confidence >= 0.5 ? paint(ctx.term, "green", OK) : paint(ctx.term, "dim", "·");
        row(`${mark} confidence`, round(detect.confidence).toFixed(2));
        row("signals", list(detect.signals));
        row(
          "facts",
          list(
            Object.entries(detect.facts)
              .sort()
              .map(([k, v]) => `${k}=${v}`),
          ),
        );
        for (const d of detect.diagnostics)
          row("diagnostic", `${d.code}: ${d.title}${d.loc ? ` (${d.loc.path}:${d.loc.line}:${d.loc.column})` : ""}`);
      }
    }
    if (ctx.json) ctx.term.out(`${JSON.stringify({ plugins: results }, null, 2)}\n`);
    return 0;
  } finally {
    await host.shutdown();
  }
}

/** `cig plugin test <command> [args...]`: the conformance suite against any executable. */
export async function pluginTest(ctx: CliContext, command: string, args: string[]): Promise<number> {
  const resolved = resolvePluginCommand(command, ctx.cwd, stdPlugins());
  if (!ctx.json) ctx.term.out(`Conformance: ${resolved.displayName}\n`);
  const report = await runConformance({ ...resolved, args, cwd: ctx.cwd }, ctx.hostOptions, (r) => {
    if (ctx.json) return;
    const mark = r.ok ? paint(ctx.term, "green", OK) : paint(ctx.term, "red", FAIL);
    const detail = r.detail ? (r.ok ? paint(ctx.term, "dim", `: ${r.detail}`) : `\n      ${paint(ctx.term, "red", r.detail)}`) : "";
    ctx.term.out(`  ${mark} ${r.name} ${paint(ctx.term, "dim", `(${r.ms} ms)`)}${detail}\n`);
  });
  if (ctx.json) ctx.term.out(`${JSON.stringify(report, null, 2)}\n`);
  else ctx.term.out(`\n${report.plugin}${report.version ? ` ${report.version}` : ""}: ${report.passed} passed, ${report.failed} failed\n`);
  return report.failed === 0 ? 0 : exitCodeFor("CIG_CONFORMANCE_FAILED");
}

function infoJson(i: PluginInfo) {
  return {
    name: i.name,
    version: i.version,
    description: i.description,
    protocol: i.protocol,
    capabilities: i.capabilities,
    requires: i.requires,
    conflictsWith: i.conflictsWith,
    hooks: i.hooks.map((h) => Hook[h].toLowerCase()),
    detectPatterns: i.detectPatterns,
    metadata: i.metadata,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
