import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { CigError } from "../errors/cig-error.js";
import { resolveConfigPath } from "../pipeline/config-file.js";
import type { PipelineOptions } from "../pipeline/pipeline-types.js";
import { addPluginEntry } from "../registry/add-plugin-entry.js";
import { parsePluginAddress } from "../registry/plugin-address.js";
import { writeFileAtomic } from "../registry/write-file-atomic.js";
import type { CliContext } from "./cli-context.js";
import { syncCommand } from "./sync-command.js";
import { OK, paint } from "./terminal.js";

/**
 * `cig plugin add <address>`: add or update the `[plugins]` entry in cig.toml
 * (comments and formatting kept), then `cig sync`. If the sync fails, cig.toml
 * is put back as it was, so a typo never leaves a config that cannot render.
 */
export async function pluginAddCommand(ctx: CliContext, spec: string, opts: { config?: string; offline?: boolean }): Promise<number> {
  const address = parsePluginAddress(spec, "cig plugin add");
  const file = resolveConfigPath({ cwd: ctx.cwd, ...(opts.config ? { configPath: opts.config } : {}) } as PipelineOptions);
  const display = relative(ctx.cwd, file) || file;
  let before: string;
  try {
    before = readFileSync(file, "utf8");
  } catch {
    throw new CigError("CIG_CONFIG_NOT_FOUND", `no cig.toml at ${display}`, "Run `cig init` first, or point --config at it.");
  }
  const after = addPluginEntry(before, address, display);
  await writeFileAtomic(file, after);
  if (!ctx.json && !ctx.quiet)
    ctx.term.out(`${paint(ctx.term, "green", OK)} ${display}: [plugins] "${address.id}" = "${address.constraint}"\n`);
  try {
    return await syncCommand(ctx, { ...(opts.config ? { config: opts.config } : {}), ...(opts.offline ? { offline: true } : {}) });
  } catch (err) {
    await writeFileAtomic(file, before);
    if (!ctx.json && !ctx.quiet) ctx.term.err(`${display} restored: the sync failed.\n`);
    throw err;
  }
}
