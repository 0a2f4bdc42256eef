import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { Hook } from "@cig/proto";
import { CIG_SCHEMA_PATH, loadConfig } from "../config/index.js";
import { CigError } from "../errors/cig-error.js";
import { summarizeFacts } from "../pipeline/merge-facts.js";
import { selectPlugins } from "../pipeline/select-plugins.js";
import { PluginHost } from "../plugin-host/plugin-host.js";
import { listRepo, snapshotFor } from "../repo/repo-snapshot.js";
import type { CliContext } from "./cli-context.js";
import { type InitDetection, planStacks, renderInitToml } from "./init-toml.js";
import { alreadyExists, writeNewFile } from "./init-write.js";
import { stdPlugins } from "./std-plugins.js";
import { OK, paint } from "./terminal.js";

/** Detections at or above this confidence shape the file (the protocol's "enabled by `cig init`"). */
const ENABLED = 0.5;
const INSTALLED_SCHEMA = "node_modules/@cig/core/schema/cig.schema.json";

/**
 * `cig init [--force]`: runs detect on every std module (providers are not
 * needed to detect), writes a commented cig.toml for what it found, and
 * never overwrites one without --force. The file is checked with the loader
 * before it is written, then written atomically.
 */
export async function initCommand(ctx: CliContext, opts: { config?: string; force?: boolean }): Promise<number> {
  const file = resolve(ctx.cwd, opts.config || process.env.CIG_CONFIG || "cig.toml");
  const name = relative(ctx.cwd, file) || file;
  if (!opts.force && existsSync(file)) throw alreadyExists(name);
  const say = (t: string) => !ctx.json && !ctx.quiet && ctx.term.out(t);
  say("Detecting project...\n");
  const listing = listRepo(ctx.cwd);
  const detections = await detect(ctx, listing);
  const enabled = detections.filter((d) => d.confidence >= ENABLED);
  for (const d of enabled)
    say(`  ${paint(ctx.term, "green", OK)} ${d.summary || `${d.plugin.split("/").at(-1)} detected`} (${d.plugin})\n`);
  if (enabled.length === 0) say(`  ${paint(ctx.term, "dim", "· nothing detected: writing a skeleton job")}\n`);

  const pkg = readPackageJson(ctx.cwd);
  const paths = listing.files.map((f) => f.path);
  const content = renderInitToml({
    projectName: typeof pkg?.name === "string" && pkg.name.trim() !== "" ? pkg.name.trim() : basename(ctx.cwd),
    ...schemaReference(ctx.cwd, dirname(file), pkg),
    ...planStacks(enabled, {
      hasPath: (prefix) => paths.some((p) => p.startsWith(prefix)),
      nodeTestScript: typeof (pkg?.scripts as Record<string, unknown> | undefined)?.test === "string",
    }),
  });
  const check = loadConfig(content, name);
  if (!check.ok) {
    const first = check.diagnostics[0];
    throw new CigError(
      "CIG_INTERNAL",
      `cig init produced an invalid cig.toml: ${first?.code}: ${first?.title}`,
      "This is a bug in cig; please report it.",
    );
  }
  writeNewFile(file, name, content, opts.force === true);
  const lines = content.split("\n").length - 1;
  if (ctx.json) {
    const json = detections.map((d) => ({ ...d, enabled: d.confidence >= ENABLED }));
    ctx.term.out(`${JSON.stringify({ path: name, detections: json, content }, null, 2)}\n`);
  } else say(`\nWrote ${name} (${lines} lines). Next: \`cig plan\`\n`);
  return 0;
}

async function detect(ctx: CliContext, listing: ReturnType<typeof listRepo>): Promise<Array<InitDetection & { signals: string[] }>> {
  const host = await PluginHost.start(selectPlugins(stdPlugins(), [], ctx.cwd), ctx.hostOptions);
  try {
    const detectors = host.plugins.filter((p) => p.info.hooks.includes(Hook.DETECT));
    const replies = await Promise.all(detectors.map((p) => p.detect({ repo: snapshotFor(ctx.cwd, listing, p.info.detectPatterns) })));
    return detectors.map((p, i) => {
      const r = replies[i];
      const facts = r?.facts ?? {};
      const confidence = Math.round((r?.confidence ?? 0) * 100) / 100;
      return {
        plugin: p.name,
        capabilities: p.info.capabilities,
        signals: r?.signals ?? [],
        facts,
        confidence,
        summary: summarizeFacts(facts),
      };
    });
  } finally {
    await host.shutdown();
  }
}

/**
 * The `#:schema` target, relative to cig.toml: the schema in node_modules when
 * this project has @cig/core as a dependency (stable across machines and
 * follows the installed version), else the schema file of the running cig.
 */
function schemaReference(root: string, dir: string, pkg: Record<string, unknown> | undefined): { schema: string; schemaNote: string } {
  const deps = { ...(pkg?.dependencies as object | undefined), ...(pkg?.devDependencies as object | undefined) };
  const installed = existsSync(join(root, INSTALLED_SCHEMA)) || "@cig/core" in deps;
  const target = installed ? join(root, INSTALLED_SCHEMA) : CIG_SCHEMA_PATH;
  const rel = relative(dir, target).split("\\").join("/");
  const schema = rel.startsWith("../") ? rel : `./${rel}`;
  const schemaNote = installed
    ? "It points at the schema of the @cig/core package in node_modules, so it follows the cig\nversion this project installs."
    : "It points at the schema of the cig that wrote this file (not a dependency of this project);\nonce @cig/core is one, point it at ./node_modules/@cig/core/schema/cig.schema.json.";
  return { schema, schemaNote };
}

function readPackageJson(root: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
