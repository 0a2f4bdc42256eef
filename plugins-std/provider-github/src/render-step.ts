import type { Cache, Step } from "@cig/proto";
import {
  compareStrings,
  type Diag,
  deepMerge,
  effectiveStep,
  isJsonMap,
  isModuleRef,
  type JsonMap,
  orderKeys,
  setIf,
  sortedStrings,
  sortKeysDeep,
  valueToJson,
} from "@cig/sdk";
import { ACTION_VERSIONS } from "./action-versions.js";
import { githubCondition } from "./github-condition.js";
import { STEP_KEY_ORDER } from "./key-order.js";
import type { MatrixBinding } from "./matrix-placeholders.js";
import { renderCacheStep } from "./render-cache-step.js";
import { renderSetupTool, type SetupToolContext } from "./render-setup-tool.js";
import { emptyStep, nonScalarWith, runOnly, unknownCache, unknownTool, unresolvedModule } from "./step-diagnostics.js";

/** What rendering a step needs from its job and the request. */
export interface StepContext extends SetupToolContext {
  /** `[caches.<name>]` tables by name. */
  caches: ReadonlyMap<string, Cache>;
  binding: MatrixBinding;
  /** Matrix axes referenced but missing, collected for one diagnostic per job. */
  unknownAxes: Set<string>;
  resourceId: string;
}

/**
 * One cig step as GitHub steps (usually one; a pnpm-cached Node setup is two).
 * Name, id, if, env, working-directory, timeout and continue-on-error are
 * always carried over; `passthrough.github` is merged in last and wins.
 */
export function renderStep(original: Step, ctx: StepContext): { steps: JsonMap[]; diagnostics: Diag[] } {
  const step = effectiveStep(original, "github");
  const diagnostics: Diag[] = [];
  const at = { resourceId: ctx.resourceId, loc: step.loc ?? original.loc };
  // `github = { skip = true }`: the user said this step has no GitHub form (docs/providers/common.md).
  if (step.passthrough.github?.skip === true) return { steps: [], diagnostics };
  let body: JsonMap[] = [];
  const action = step.action;
  switch (action.case) {
    case "run":
      body = [{ run: action.value.command, ...(action.value.shell ? { shell: action.value.shell } : {}) }];
      break;
    case "uses": {
      if (isModuleRef(action.value.ref)) diagnostics.push(unresolvedModule(action.value.ref, at));
      const w: JsonMap = {};
      for (const [k, v] of Object.entries(action.value.with).sort(([a], [b]) => compareStrings(a, b))) {
        const json = valueToJson(v);
        if (isJsonMap(json) || Array.isArray(json)) diagnostics.push(nonScalarWith(action.value.ref, k, at));
        w[k] = isJsonMap(json) || Array.isArray(json) ? JSON.stringify(json) : json;
      }
      body = [Object.keys(w).length > 0 ? { uses: action.value.ref, with: w } : { uses: action.value.ref }];
      break;
    }
    case "checkout": {
      const w: JsonMap = {};
      // 1 is the action's default; 0 means full history, as in the protocol and in actions/checkout.
      if (action.value.fetchDepth !== 1) w["fetch-depth"] = action.value.fetchDepth;
      if (action.value.submodules) w.submodules = true;
      body = [Object.keys(w).length > 0 ? { uses: ACTION_VERSIONS.checkout, with: w } : { uses: ACTION_VERSIONS.checkout }];
      break;
    }
    case "cache": {
      const cache = ctx.caches.get(action.value.name);
      if (cache) body = [renderCacheStep(cache, action.value.operation, ctx.binding, ctx.unknownAxes)];
      else diagnostics.push(unknownCache(action.value.name, at));
      break;
    }
    case "setupTool": {
      const rendered = renderSetupTool(action.value, ctx);
      if (rendered) body = rendered;
      else diagnostics.push(unknownTool(action.value.tool, at));
      break;
    }
    default:
      diagnostics.push(emptyStep(at));
  }
  if (body.length === 0) return { steps: [], diagnostics };

  const main = body.at(-1) as JsonMap;
  setIf(main, "name", step.name || (main.name as string | undefined));
  setIf(main, "id", step.id);
  if (step.workingDirectory && action.case !== "run") diagnostics.push(runOnly("working-directory", at));
  else setIf(main, "working-directory", step.workingDirectory);
  setIf(main, "env", sortedStrings(step.env));
  setIf(main, "timeout-minutes", step.timeoutMinutes);
  setIf(main, "continue-on-error", step.continueOnError);
  const { skip: _skip, ...passthrough } = step.passthrough.github ?? {};
  const condition = githubCondition(step.condition, at, diagnostics);
  const steps = body.map((s) => {
    // A helper step (pnpm before setup-node) must run exactly when the step it serves runs.
    setIf(s, "if", condition);
    const merged = s === main && Object.keys(passthrough).length > 0 ? deepMerge(s, sortKeysDeep(passthrough) as JsonMap) : s;
    return orderKeys(merged, STEP_KEY_ORDER);
  });
  return { steps, diagnostics };
}
