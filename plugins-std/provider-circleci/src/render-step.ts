import type { Cache, SourceLocation, Step } from "@cig/proto";
import {
  type Diag,
  deepMerge,
  effectiveStep,
  isJsonMap,
  isModuleRef,
  type Json,
  type JsonMap,
  orderKeys,
  setIf,
  sortedStrings,
  sortKeysDeep,
} from "@cig/sdk";
import { RUN_KEY_ORDER } from "./key-order.js";
import { CONTINUE_ON_ERROR_PREFIX, providerRun } from "./provider-steps.js";
import { cacheKeys, restoreCacheStep, saveCacheStep } from "./render-cache.js";
import { renderSetupTool } from "./render-setup-tool.js";
import { stepCondition } from "./step-condition.js";
import {
  type At,
  emptyStep,
  foreignStep,
  nativeCondition,
  runOnly,
  stepTimeout,
  unknownCache,
  unresolvedModule,
  unsupportedCondition,
} from "./step-diagnostics.js";

/** A CircleCI step: a bare name (`checkout`) or a one-key map (`run: …`, `when: …`). */
export type CircleStep = string | JsonMap;

/** What rendering a step needs from its job and the request. */
export interface StepContext {
  /** `[caches.<name>]` tables by name. */
  caches: ReadonlyMap<string, Cache>;
  /** Binds `{{ matrix.x }}` to `<< parameters.x >>`. */
  bind: (text: string) => string;
  /** {@link StepContext.bind} over every string of a value (provider tables). */
  bindDeep: (value: Json) => Json;
  resourceId: string;
  /** The job's cig.toml location: where a step without one of its own points. */
  jobLoc: SourceLocation | undefined;
  /** The primary image this provider picked, or undefined when the runner table names the executor. */
  image: string | undefined;
  /** Tools that image provides. */
  provides: ReadonlySet<string>;
  diagnostics: Diag[];
  /** Steps that run after all others (save_cache of restore-and-save caches), in order. */
  atEnd: CircleStep[];
}

/**
 * One cig step as CircleCI steps (usually one; a cache restore may need a
 * checksum step first). A run step keeps name, env, working_directory,
 * timeout (as no_output_timeout), continue_on_error (as an EXIT trap) and its
 * condition; the step's `circleci` table is merged into it last and wins.
 */
export function renderStep(original: Step, ctx: StepContext): CircleStep[] {
  const step = effectiveStep(original, "circleci");
  const known = (l: SourceLocation | undefined) => (l && l.path !== "" ? l : undefined);
  const at: At = { resourceId: ctx.resourceId, loc: known(step.loc) ?? known(original.loc) ?? ctx.jobLoc };
  const table = step.passthrough.circleci ? (sortKeysDeep(step.passthrough.circleci) as JsonMap) : undefined;
  // `skip = true` leaves the step out on CircleCI, explicitly.
  if (table?.skip === true) return [];
  const action = step.action;
  let body: CircleStep[] = [];
  switch (action.case) {
    case "run":
      body = [{ run: runMap(step, action.value.command, action.value.shell, ctx, at) }];
      break;
    case "uses":
      if (isModuleRef(action.value.ref)) ctx.diagnostics.push(unresolvedModule(action.value.ref, at));
      else if (table) return withCondition([ctx.bindDeep(table) as JsonMap], step, ctx, at);
      // ^ a foreign action: its circleci table is the step.
      else ctx.diagnostics.push(foreignStep(action.value.ref, at));
      return [];
    case "checkout":
      body = ["checkout"];
      if (action.value.submodules) {
        body.push(providerRun("Check out submodules", ["git submodule sync", "git submodule update --init --recursive"]));
      }
      break;
    case "cache": {
      const cache = ctx.caches.get(action.value.name);
      if (!cache) {
        ctx.diagnostics.push(unknownCache(action.value.name, at));
        return [];
      }
      body = cacheSteps(cache, action.value.operation, ctx);
      break;
    }
    case "setupTool":
      body = renderSetupTool(action.value, step.name, ctx, at);
      break;
    default:
      ctx.diagnostics.push(emptyStep(at));
      return [];
  }
  if (action.case !== "run") {
    const ignored = [
      ...(step.workingDirectory ? ["working_directory"] : []),
      ...(Object.keys(step.env).length > 0 ? ["env"] : []),
      ...(step.timeoutMinutes ? ["timeout"] : []),
      ...(step.continueOnError ? ["continue_on_error"] : []),
    ];
    if (ignored.length > 0) ctx.diagnostics.push(runOnly(ignored, at));
  }
  const last = body.at(-1);
  if (table && isJsonMap(last)) {
    // The table merges into the step's own map (`run:`, `restore_cache:`, …).
    const [kind] = Object.keys(last);
    const inner = kind !== undefined ? last[kind] : undefined;
    if (kind !== undefined && isJsonMap(inner)) body[body.length - 1] = { [kind]: ctx.bindDeep(deepMerge(inner, table)) as Json };
  }
  return withCondition(body, step, ctx, at);
}

function runMap(step: Step, command: string, shell: string, ctx: StepContext, at: At): JsonMap {
  const run: JsonMap = {};
  setIf(run, "name", ctx.bind(step.name));
  setIf(run, "shell", shell);
  setIf(run, "working_directory", ctx.bind(step.workingDirectory));
  const env = sortedStrings(step.env);
  if (env) run.environment = ctx.bindDeep(env);
  if (step.timeoutMinutes) {
    run.no_output_timeout = `${step.timeoutMinutes}m`;
    ctx.diagnostics.push(stepTimeout(step.timeoutMinutes, at));
  }
  const bound = ctx.bind(command);
  run.command = step.continueOnError ? `${CONTINUE_ON_ERROR_PREFIX}\n${bound}` : bound;
  return orderKeys(run, RUN_KEY_ORDER);
}

// The step's `if`: `when:` inside the run or save_cache step for the status
// part, a compile-time `when` step around the steps for the rest.
function withCondition(steps: CircleStep[], step: Step, ctx: StepContext, at: At): CircleStep[] {
  if (steps.length === 0 || step.condition.trim() === "") return steps;
  const table = step.passthrough.circleci;
  // The step's circleci table sets CircleCI's own condition: it replaces the translation.
  if (table && ("when" in table || "unless" in table)) return steps;
  const c = stepCondition(step.condition);
  if (!c.ok) {
    ctx.diagnostics.push(
      c.native ? nativeCondition(step.condition, c.reason, "step", at) : unsupportedCondition(step.condition, c.reason, "step", at),
    );
    return steps;
  }
  let out = steps;
  const status = c.when;
  if (status) {
    let unsupported = false;
    out = steps.map((s) => {
      const kind = typeof s === "string" ? s : Object.keys(s)[0];
      const inner = typeof s === "string" || kind === undefined ? undefined : s[kind];
      if (kind === "run" && typeof inner === "string") return { run: { command: inner, when: status } };
      if ((kind === "run" || kind === "save_cache") && isJsonMap(inner))
        return { [kind]: orderKeys({ ...inner, when: status }, RUN_KEY_ORDER) };
      unsupported = true;
      return s;
    });
    if (unsupported) {
      const why = "CircleCI has a status condition (when: always / on_fail) only on run and save_cache steps";
      ctx.diagnostics.push(unsupportedCondition(step.condition, why, "step", at));
    }
  }
  return c.logic === undefined ? out : [{ when: { condition: c.logic, steps: out } }];
}

/** A cache step: restore where it stands, save where it stands or, for restore-and-save, at the end of the job. */
export function cacheSteps(cache: Cache, operation: number, ctx: StepContext): CircleStep[] {
  const keys = cacheKeys(cache, ctx.bind);
  const prepare = keys.prepare ? [keys.prepare] : [];
  // Operation values: 1 restore, 2 save, 3 (or unset) restore and save.
  if (operation === 2) return [...prepare, saveCacheStep(cache, keys, ctx.bind)];
  if (operation !== 1) ctx.atEnd.push(...prepare, saveCacheStep(cache, keys, ctx.bind));
  return [...prepare, restoreCacheStep(cache, keys)];
}
