import type { Output } from "@cig/proto";
import { SUPPORTED_PROTOCOLS } from "@cig/proto";
import { resolveConfigPath } from "../pipeline/config-file.js";
import type { PipelineOptions } from "../pipeline/pipeline-types.js";
import { selectPlugins, usesFromRaw } from "../pipeline/select-plugins.js";
import { HttpSource } from "../registry/http-source.js";
import type { LockedPlugin, LockFile } from "../registry/lock-file.js";
import { LockedSource } from "../registry/locked-source.js";
import { MirrorSource } from "../registry/mirror-source.js";
import type { PluginSource } from "../registry/plugin-source.js";
import { readProjectPlugins } from "../registry/project-plugins.js";
import { type SyncEvent, syncPlugins } from "../registry/sync-plugins.js";
import { readLockFile, writeLockFile } from "../registry/write-lock.js";
import { CORE_VERSION } from "../version.js";
import type { CliContext } from "./cli-context.js";
import { stdModuleProvides, stdPlugins, stdVersions } from "./std-plugins.js";
import { OK, paint } from "./terminal.js";

export interface SyncCommandOptions {
  config?: string;
  upgrade?: boolean;
  offline?: boolean;
  repair?: boolean;
}

/**
 * `cig sync`: resolve every plugin constraint of cig.toml, verify and install
 * the registry plugins into the cache, and write cig.lock (docs/registry.md).
 */
export async function syncCommand(ctx: CliContext, opts: SyncCommandOptions): Promise<number> {
  const env = process.env;
  const std = stdPlugins();
  const configFile = resolveConfigPath({ cwd: ctx.cwd, ...(opts.config ? { configPath: opts.config } : {}) } as PipelineOptions);
  const project = readProjectPlugins(configFile, ctx.cwd, new Set(std.keys()), env);
  const previous = readLockFile(project.lockFile, project.lockDisplay);
  const say = (t: string) => !ctx.json && !ctx.quiet && ctx.term.out(t);
  const mirror = env.CIG_PLUGIN_MIRROR;
  const source: PluginSource = opts.offline
    ? mirror
      ? new MirrorSource(mirror)
      : new LockedSource(previous, env)
    : new HttpSource(env, { isTTY: process.stderr.isTTY === true && !ctx.json, write: (t) => process.stderr.write(t) });
  const events: SyncEvent[] = [];
  if (project.requirements.roots.length > 0) say(`Resolving plugins${opts.offline ? ` (offline: ${source.label})` : ""}...\n`);
  const synced = await syncPlugins({
    requirements: project.requirements,
    ...(previous ? { previous } : {}),
    source,
    offline: opts.offline === true,
    upgrade: opts.upgrade === true,
    repair: opts.repair === true,
    builtin: stdVersions(),
    env,
    onEvent: (e) => {
      events.push(e);
      if (e.kind === "resolved")
        say(
          `  ${paint(ctx.term, "green", OK)} ${e.id}@${e.version} ${paint(ctx.term, "dim", `(${e.host}${e.previous ? `, was ${e.previous}` : ""})`)}\n`,
        );
      else
        say(
          `  ${paint(ctx.term, "green", OK)} installed ${e.id}@${e.version} ${e.platform} ${paint(ctx.term, "dim", e.cached ? "(cached)" : "(downloaded, verified)")}\n`,
        );
    },
  });
  const plugins: Record<string, LockedPlugin> = {};
  for (const s of synced) plugins[s.id] = s.entry;
  // The std plugins this project uses, at the version shipped with this core.
  const outputs = (Array.isArray(project.data.outputs) ? project.data.outputs : []) as Output[];
  const versions = stdVersions();
  const used = selectPlugins(std, outputs, ctx.cwd, {
    schema: usesFromRaw(project.data),
    text: project.text,
    provides: stdModuleProvides(),
  });
  for (const p of used) {
    const id = p.displayName as string;
    if (!plugins[id] && !project.requirements.overrides.has(id)) plugins[id] = { source: "builtin", version: versions.get(id) ?? "0.0.0" };
  }
  const resolvedVersions = await detectedVersions(ctx, opts, previous?.resolvedVersions ?? {});
  const lock: LockFile = {
    core: { version: CORE_VERSION, protocol: Math.max(...SUPPORTED_PROTOCOLS) },
    plugins,
    resolvedVersions,
  };
  const changed = await writeLockFile(project.lockFile, lock);
  if (ctx.json) {
    ctx.term.out(
      `${JSON.stringify({ lock: project.lockDisplay, changed, plugins: Object.entries(plugins).map(([id, p]) => ({ id, ...p })), events }, null, 2)}\n`,
    );
  } else {
    const registry = synced.length;
    const builtin = Object.keys(plugins).length - registry;
    say(`${project.lockDisplay}: ${changed ? "written" : "unchanged"} (${registry} from registries, ${builtin} std)\n`);
  }
  return 0;
}

/**
 * `[resolved_versions]`: the tool versions the std modules cig.toml uses
 * detect (`node_version` → `node`; `package_manager_version` under the
 * manager's own name). When cig.toml does not plan (it has errors), the
 * lock's previous values are kept and a note says why.
 */
async function detectedVersions(
  ctx: CliContext,
  opts: SyncCommandOptions,
  previous: Record<string, string>,
): Promise<Record<string, string>> {
  const { runPipeline } = await import("../pipeline/run-pipeline.js");
  const result = await runPipeline({
    cwd: ctx.cwd,
    ...(opts.config ? { configPath: opts.config } : {}),
    host: ctx.hostOptions,
    stdPlugins: stdPlugins(),
    stdModules: stdModuleProvides(),
    stopAfter: "plan",
  });
  if (result.failed) {
    if (!ctx.json && !ctx.quiet) ctx.term.err("note: cig.toml does not plan (run `cig validate`); [resolved_versions] left as it was\n");
    return previous;
  }
  const out: Record<string, string> = {};
  for (const [fact, value] of Object.entries(result.facts)) {
    const m = /^(.+)_version$/.exec(fact);
    if (!m || !value) continue;
    const tool = m[1] === "package_manager" ? result.facts.package_manager : m[1];
    if (tool) out[tool] = value;
  }
  return out;
}
