import type { Cache, Step } from "@cig/proto";
import { type Diag, effectiveStep, type JsonMap, parseCondition, structToJson } from "@cig/sdk";
import { addOperation, type CacheUse } from "./cache-plugins.js";
import { PROVIDER_MARK, SUCCESS_GUARD, scriptEntry } from "./job-script.js";
import { toolSetup } from "./setup-tool-image.js";
import {
  type At,
  emptyStep,
  foreignStep,
  nativeCondition,
  stepTimeout,
  unknownCache,
  unknownTool,
  unsupportedShell,
} from "./step-diagnostics.js";
import { toShellTest } from "./translate-condition.js";

/** What a job's cig steps amount to on Buildkite. */
export interface RenderedSteps {
  /** Job-script entries, in step order. */
  entries: string[];
  /** Tool images asked for, in step order, deduplicated. */
  images: string[];
  /** Caches the steps restore or save, by name, in order of first use. */
  caches: Map<string, CacheUse>;
  /** Step provider tables (and foreign steps' tables), merged into the command step, in step order. */
  stepTables: JsonMap[];
  diagnostics: Diag[];
}

/** What rendering steps needs from the job. */
export interface StepsContext {
  caches: ReadonlyMap<string, Cache>;
  /** Binds `{{ matrix.x }}` to this variant's values. */
  bind: (text: string) => string;
  at: At;
}

const SHELLS = new Set(["", "sh", "bash"]);

/**
 * The job's cig steps as job-script entries (run steps, tool setup commands,
 * foreign steps' commands), plus what they contribute to the command step
 * itself: tool images for the docker plugin, caches for the cache plugin,
 * and provider tables. Checkout steps render nothing: the agent checks out
 * the repository before any command.
 */
export function renderJobSteps(steps: readonly Step[], ctx: StepsContext): RenderedSteps {
  const out: RenderedSteps = { entries: [], images: [], caches: new Map(), stepTables: [], diagnostics: [] };
  for (const original of steps) {
    const step = effectiveStep(original, "buildkite");
    const at = { resourceId: ctx.at.resourceId, loc: step.loc ?? original.loc ?? ctx.at.loc };
    const table = structToJson(step.passthrough.buildkite);
    if (table.skip === true) continue;
    const { if: ownGuard, command: tableCommand, commands: tableCommands, ...rest } = table;
    const base = {
      title: ctx.bind(step.name),
      guard: guardOf(step, typeof ownGuard === "string" ? ownGuard : undefined, ctx, at, out.diagnostics),
      workingDirectory: ctx.bind(step.workingDirectory),
      env: Object.fromEntries(Object.entries(step.env).map(([k, v]) => [k, ctx.bind(v)])),
      continueOnError: step.continueOnError,
    };
    if (step.timeoutMinutes > 0) out.diagnostics.push(stepTimeout(step.timeoutMinutes, at));
    const action = step.action;
    switch (action.case) {
      case "run":
        if (!SHELLS.has(action.value.shell)) {
          out.diagnostics.push(unsupportedShell(action.value.shell, at));
          continue;
        }
        {
          const command = ctx.bind(action.value.command);
          // An unnamed step is titled by its command's first line, as Buildkite logs show it.
          const title = base.title || (command.split("\n")[0] ?? "").slice(0, 72).trim() || "run";
          out.entries.push(scriptEntry({ ...base, title, command }));
        }
        break;
      case "uses": {
        // The step's buildkite table is the step: its command (if any) joins the script, other keys the command step.
        const commands = [tableCommand, ...(Array.isArray(tableCommands) ? tableCommands : [tableCommands])].filter(
          (c) => typeof c === "string",
        );
        if (commands.length === 0 && Object.keys(rest).length === 0) {
          out.diagnostics.push(foreignStep(action.value.ref, at));
          continue;
        }
        if (commands.length > 0) {
          const title = `${PROVIDER_MARK.slice(2)}${base.title || action.value.ref} (buildkite table of ${action.value.ref})`;
          out.entries.push(scriptEntry({ ...base, title, command: commands.map((c) => ctx.bind(c as string)).join("\n") }));
        }
        break;
      }
      case "checkout":
        break;
      case "cache": {
        const name = action.value.name;
        if (!ctx.caches.has(name)) out.diagnostics.push(unknownCache(name, at));
        else out.caches.set(name, addOperation(out.caches.get(name) ?? { restore: false, save: false }, action.value.operation));
        break;
      }
      case "setupTool": {
        const setup = toolSetup({ ...action.value, version: ctx.bind(action.value.version) });
        if (!setup) {
          out.diagnostics.push(unknownTool(action.value.tool, at));
          continue;
        }
        if (setup.image && !out.images.includes(setup.image)) out.images.push(setup.image);
        for (const command of setup.commands) {
          const title = `${PROVIDER_MARK.slice(2)}${base.title || `Set up ${action.value.tool}`} (${command.split(" ")[0]})`;
          out.entries.push(scriptEntry({ ...base, title, command }));
        }
        break;
      }
      default:
        out.diagnostics.push(emptyStep(at));
        continue;
    }
    if (Object.keys(rest).length > 0) out.stepTables.push(rest);
  }
  return out;
}

// When the step runs, as a shell test: its portable condition, or the shell
// test its buildkite table sets; a native condition is an error.
function guardOf(step: Step, own: string | undefined, ctx: StepsContext, at: At, diagnostics: Diag[]): string {
  if (own !== undefined) return own;
  const text = ctx.bind(step.condition).trim();
  if (text === "") return SUCCESS_GUARD;
  const parsed = parseCondition(text);
  if (parsed.portable) return toShellTest(parsed.condition);
  diagnostics.push(nativeCondition(text, parsed.reason, "step", at));
  return SUCCESS_GUARD;
}
