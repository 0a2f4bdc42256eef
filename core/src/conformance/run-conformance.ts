import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type DescMessage, type MessageShape, toJson } from "@bufbuild/protobuf";
import {
  DetectResponseSchema,
  GenerateResponseSchema,
  Hook,
  PlanResponseSchema,
  PreflightResponseSchema,
  ValidateResponseSchema,
} from "@cig/proto";
import type { LoadedPlugin } from "../plugin-host/loaded-plugin.js";
import { ENV_ALLOW_LIST } from "../plugin-host/plugin-env.js";
import { type HostOptions, PluginHost } from "../plugin-host/plugin-host.js";
import type { PluginCommand } from "../plugin-host/plugin-process.js";
import { type CheckResult, check } from "./check-result.js";
import { detectCases, generateCases, planCases, preflightCases, validateCases } from "./edge-inputs.js";
import { diagnosticProblems, fragmentProblems, resourceProblems } from "./reply-checks.js";

/** The report of one conformance run. */
export interface ConformanceReport {
  plugin: string;
  version: string;
  checks: CheckResult[];
  passed: number;
  failed: number;
}

/**
 * Runs the conformance suite against any plugin executable, in any language:
 * refusal without the cookie, handshake, Info, every advertised hook on edge
 * inputs (well-formed, deterministic replies), UNIMPLEMENTED for the rest,
 * concurrency, stdout hygiene, Shutdown, and exit on EOF.
 * Calls `onCheck` as each check finishes, for live output.
 */
export async function runConformance(
  cmd: PluginCommand,
  options: HostOptions = {},
  onCheck: (r: CheckResult) => void = () => {},
): Promise<ConformanceReport> {
  const checks: CheckResult[] = [];
  const record = (r: CheckResult) => {
    checks.push(r);
    onCheck(r);
    return r;
  };
  const report = (plugin = cmd.displayName ?? cmd.command, version = "") => ({
    plugin,
    version,
    checks,
    passed: checks.filter((c) => c.ok).length,
    failed: checks.filter((c) => !c.ok).length,
  });

  record(await check("refuses to serve without the magic cookie", () => refusesWithoutCookie(cmd)));
  let host: PluginHost | undefined;
  const started = record(
    await check("handshake and Info", async () => {
      host = await PluginHost.start([cmd], options);
      const p = host.plugins[0];
      return p
        ? {
            note: `${p.info.name} ${p.info.version} (pid ${p.process.pid}), protocol ${p.info.protocol}, ${p.process.handshake.transport} transport`,
          }
        : "no plugin";
    }),
  );
  const plugin = host?.plugins[0];
  if (!started.ok || !host || !plugin) return report();
  try {
    await hookChecks(plugin, record);
    record(await check("answers 8 concurrent calls", () => concurrent(plugin)));
    record(
      await check("stdout hygiene: the link is intact after every call", async () => {
        if (plugin.process.exited) return "the process has exited";
        await plugin.ping();
        return undefined;
      }),
    );
    record(
      await check("exits with code 0 after Shutdown", async () => {
        await host?.shutdown();
        const exit = plugin.process.exited;
        return exit?.code === 0 ? undefined : `exit ${JSON.stringify(exit)} (SIGTERM/SIGKILL were needed)`;
      }),
    );
    record(await check("exits by itself when its core is killed (EOF on fd 0)", () => exitsWhenCoreDies(cmd)));
    return report(plugin.info.name, plugin.info.version);
  } finally {
    await host.shutdown();
  }
}

type Record_ = (r: CheckResult) => CheckResult;

async function hookChecks(plugin: LoadedPlugin, record: Record_): Promise<void> {
  const hooks = new Set(plugin.info.hooks);
  // Map entries may arrive in any order (protobuf leaves it open); all else must match.
  const det = <D extends DescMessage>(schema: D, a: MessageShape<D>, b: MessageShape<D>) =>
    canonical(schema, a) === canonical(schema, b) ? [] : ["two identical requests gave different replies"];
  const run = async <R>(hook: string, cases: Array<{ name: string; request: R }>, call: (req: R) => Promise<string[]>) => {
    for (const c of cases) record(await check(`${hook}: ${c.name}`, async () => problems(await call(c.request))));
  };
  if (hooks.has(Hook.DETECT)) {
    await run("detect", detectCases(), async (req) => {
      const [a, b] = [await plugin.detect(req), await plugin.detect(req)];
      const out = [...diagnosticProblems(a.diagnostics), ...det(DetectResponseSchema, a, b)];
      if (!(a.confidence >= 0 && a.confidence <= 1)) out.push(`confidence ${a.confidence} is outside 0..1`);
      if (Object.keys(a.facts).some((k) => k.trim() === "")) out.push("a fact has an empty name");
      return out;
    });
  }
  if (hooks.has(Hook.PLAN)) {
    await run("plan", planCases(), async (req) => {
      const [a, b] = [await plugin.plan(req), await plugin.plan(req)];
      return [...resourceProblems(a.resources), ...diagnosticProblems(a.diagnostics), ...det(PlanResponseSchema, a, b)];
    });
  }
  if (hooks.has(Hook.GENERATE)) {
    await run("generate", generateCases(), async (req) => {
      const join = (parts: Awaited<ReturnType<LoadedPlugin["generate"]>>) => ({
        $typeName: "cig.plugin.v1.GenerateResponse" as const,
        fragments: parts.flatMap((p) => p.fragments),
        diagnostics: parts.flatMap((p) => p.diagnostics),
      });
      const [a, b] = [join(await plugin.generate(req)), join(await plugin.generate(req))];
      return [...fragmentProblems(a.fragments), ...diagnosticProblems(a.diagnostics), ...det(GenerateResponseSchema, a, b)];
    });
  }
  if (hooks.has(Hook.VALIDATE)) {
    await run("validate", validateCases(), async (req) => {
      const [a, b] = [await plugin.validate(req), await plugin.validate(req)];
      return [...diagnosticProblems(a.diagnostics), ...det(ValidateResponseSchema, a, b)];
    });
  }
  if (hooks.has(Hook.PREFLIGHT)) {
    await run("preflight", preflightCases(), async (req) => {
      const [a, b] = [await plugin.preflight(req), await plugin.preflight(req)];
      return [...diagnosticProblems(a.diagnostics), ...det(PreflightResponseSchema, a, b)];
    });
  }
  const others: Array<[Hook, string, () => Promise<unknown>]> = [
    [Hook.DETECT, "detect", () => plugin.detect({})],
    [Hook.PLAN, "plan", () => plugin.plan({})],
    [Hook.GENERATE, "generate", () => plugin.generate({})],
    [Hook.VALIDATE, "validate", () => plugin.validate({})],
    [Hook.PREFLIGHT, "preflight", () => plugin.preflight({})],
  ];
  for (const [hook, name, call] of others) {
    if (hooks.has(hook)) continue;
    record(
      await check(`${name} (not advertised) answers UNIMPLEMENTED`, async () => {
        try {
          await call();
          return "it answered OK although Info does not list it";
        } catch (err) {
          const code = (err as { code?: string }).code;
          return code === "CIG_PLUGIN_UNIMPLEMENTED" ? undefined : `expected UNIMPLEMENTED, got ${code}: ${(err as Error).message}`;
        }
      }),
    );
  }
}

function canonical<D extends DescMessage>(schema: D, msg: MessageShape<D>): string {
  const sortKeys = (_k: string, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v;
  return JSON.stringify(toJson(schema, msg), sortKeys);
}

function problems(list: string[]): string | undefined {
  return list.length === 0 ? undefined : list.slice(0, 5).join("; ") + (list.length > 5 ? ` (+${list.length - 5} more)` : "");
}

async function concurrent(plugin: LoadedPlugin): Promise<undefined> {
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < 8; i++) {
    calls.push(plugin.info.hooks.includes(Hook.DETECT) ? plugin.detect({}) : plugin.ping());
  }
  await Promise.all(calls);
  return undefined;
}

/** Started by hand (no cookie), a plugin must say so and exit non-zero, quickly. */
function refusesWithoutCookie(cmd: PluginCommand): Promise<string | undefined> {
  return new Promise((resolve) => {
    const env: Record<string, string> = {};
    for (const k of ENV_ALLOW_LIST) if (process.env[k] !== undefined) env[k] = process.env[k] as string;
    const child = spawn(cmd.command, [...(cmd.args ?? [])], { env, stdio: ["pipe", "pipe", "pipe"], detached: true });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid ?? 0), "SIGKILL");
      } catch {}
      resolve("still running after 5 s: without CIG_PLUGIN_MAGIC_COOKIE a plugin must print a message and exit");
    }, 5000);
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve(`could not start: ${err.message}`);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve("exited 0; it must exit non-zero when not started by cig");
      else if (output.trim() === "") resolve(`exited ${code} without saying why`);
      else resolve(undefined);
    });
    child.stdin?.end();
  });
}

/**
 * Starts the plugin from a separate core process, SIGKILLs that process, and
 * waits for the plugin to notice (EOF on fd 0) and exit: what happens when a
 * real core crashes. A plugin that survives this is an orphan.
 */
async function exitsWhenCoreDies(cmd: PluginCommand): Promise<string | undefined> {
  // From src/ (under a test runner) and from dist/ alike, the built probe.
  const probe = fileURLToPath(new URL("../../dist/conformance/orphan-probe.js", import.meta.url));
  const core = spawn(process.execPath, [probe, cmd.command, ...(cmd.args ?? [])], { cwd: cmd.cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  core.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const pid = await new Promise<number | undefined>((resolve) => {
    core.stdout?.once("data", (d: Buffer) => resolve(Number.parseInt(d.toString(), 10)));
    core.once("exit", () => resolve(undefined));
  });
  if (!pid) {
    const lines = stderr.trim().split("\n");
    return `the probe core could not start the plugin: ${lines.find((l) => /error/i.test(l)) ?? lines[0] ?? ""}`;
  }
  core.kill("SIGKILL");
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return undefined;
    await new Promise((r) => setTimeout(r, 20));
  }
  try {
    process.kill(-pid, "SIGKILL");
  } catch {}
  return "still running 3 s after its core was killed: it must exit when fd 0 reaches EOF";
}

/** Alive and not a zombie (an orphan's zombie waits for init to reap it). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}
