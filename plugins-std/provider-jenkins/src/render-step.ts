import { CacheAction_Operation, type Step } from "@cig/proto";
import { compareStrings, type Diag, effectiveStep, isModuleRef, type JsonMap, parseCondition } from "@cig/sdk";
import { block, groovyString, isGroovyIdentifier } from "./groovy-text.js";
import { namedArgs, stepCalls } from "./passthrough-groovy.js";
import { omitKeys, providerTable } from "./provider-table.js";
import type { CacheUse } from "./render-caches.js";
import { groovyCondition, splitStepCondition } from "./render-condition.js";
import { PROVIDER_STEP_MARKER } from "./render-services.js";
import { setupLabel, setupScript, TOOLS } from "./render-setup-tool.js";
import * as d from "./step-diagnostics.js";

/** Marks a shell step whose script got a first line (a `#!` interpreter) from this provider; the test parser strips it. */
export const SHELL_PREFIX_MARKER = "// cig: shell prefix";

/** What rendering a step needs from its stage. */
export interface StepContext {
  resourceId: string;
  /** Binds `{{ matrix.<axis> }}` to this variant's values (and records unknown axes). */
  bind: (text: string) => string;
  /** True when the stage's image provides this setup step's tool (so it is only checked, not installed). */
  fromImage: boolean;
}

/** A rendered step: its lines, the post condition it runs under (undefined: in order), and what it tells the stage. */
export interface RenderedStep {
  lines: string[];
  post: string | undefined;
  cache?: CacheUse;
  checkout: boolean;
}

// Steps and interpreter lines per `shell`: Jenkins' sh honours a #! first line.
const SHELLS: Record<string, { step: string; prefix?: string }> = {
  "": { step: "sh" },
  sh: { step: "sh" },
  bash: { step: "sh", prefix: "#!/bin/bash -e" },
  python: { step: "sh", prefix: "#!/usr/bin/env python3" },
  pwsh: { step: "pwsh" },
  powershell: { step: "powershell" },
  cmd: { step: "bat" },
};

// cig's own keys in a step's jenkins table; every other key is Jenkins'.
const OWN_KEYS = ["skip", "if", "post"];

/**
 * One cig step as Jenkins steps. The action comes first (`sh`, a setup
 * step, the table's calls for a foreign `uses`), then its wrappers, inside
 * out: `withEnv` (env), `dir` (working_directory), `timeout`, `catchError`
 * (continue_on_error: the stage turns UNSTABLE, the build stays green),
 * and outermost the condition as `script { if (…) { … } }`. A status
 * condition sends the step to a post block instead.
 */
export function renderStep(original: Step, ctx: StepContext, diagnostics: Diag[]): RenderedStep | undefined {
  const step = effectiveStep(original, "jenkins");
  const at = { resourceId: ctx.resourceId, loc: step.loc ?? original.loc };
  const table = providerTable(step.passthrough, "jenkins");
  if (table.skip === true) return undefined;
  const extra = omitKeys(table, OWN_KEYS);
  const out: RenderedStep = { lines: [], post: undefined, checkout: false };
  const action = step.action;
  switch (action.case) {
    case "run":
      out.lines = shellStep(action.value.command, action.value.shell, step.name, extra, ctx, at, diagnostics);
      break;
    case "uses":
      if (Object.keys(extra).length > 0) out.lines = stepCalls(extra, at, diagnostics);
      else diagnostics.push(isModuleRef(action.value.ref) ? d.unresolvedModule(action.value.ref, at) : d.foreignStep(action.value.ref, at));
      break;
    case "checkout":
      out.checkout = true;
      out.lines = [checkoutCall(action.value.fetchDepth, action.value.submodules), ...stepCalls(extra, at, diagnostics)];
      break;
    case "cache": {
      const op = action.value.operation;
      const restore = op !== CacheAction_Operation.SAVE;
      const save = op !== CacheAction_Operation.RESTORE;
      out.cache = { name: action.value.name, restore, save };
      out.lines = stepCalls(extra, at, diagnostics);
      break;
    }
    case "setupTool": {
      const tool = { ...action.value, version: ctx.bind(action.value.version) };
      if (!TOOLS[tool.tool]) diagnostics.push(d.unknownTool(tool.tool, at));
      else {
        const label = ctx.bind(step.name) || setupLabel(tool);
        out.lines = [PROVIDER_STEP_MARKER, `sh(label: ${groovyString(label)}, script: ${groovyString(setupScript(tool, ctx.fromImage))})`];
      }
      out.lines.push(...stepCalls(extra, at, diagnostics));
      break;
    }
    default:
      diagnostics.push(d.emptyStep(at));
  }
  if (out.lines.length === 0) return out.cache || out.checkout ? out : undefined;
  if (out.cache) return out;

  let lines = out.lines;
  const env = Object.keys(step.env).sort(compareStrings);
  if (env.length > 0) lines = block(`withEnv([${env.map((k) => groovyString(`${k}=${ctx.bind(step.env[k] ?? "")}`)).join(", ")}])`, lines);
  if (step.workingDirectory) lines = block(`dir(${groovyString(ctx.bind(step.workingDirectory))})`, lines);
  if (step.timeoutMinutes > 0) lines = block(`timeout(time: ${step.timeoutMinutes}, unit: 'MINUTES')`, lines);
  if (step.continueOnError) lines = block("catchError(buildResult: 'SUCCESS', stageResult: 'UNSTABLE')", lines);

  const { guard, post } = placement(step, table, at, diagnostics);
  if (guard) lines = block("script", block(`if (${guard})`, lines));
  out.lines = lines;
  out.post = post;
  return out;
}

// Where the step runs (a post condition or in order) and the Groovy guard around it.
function placement(step: Step, table: JsonMap, at: d.At, diagnostics: Diag[]): { guard: string | undefined; post: string | undefined } {
  const tableIf = typeof table.if === "string" && table.if !== "" ? table.if : undefined;
  const tablePost = typeof table.post === "string" && isGroovyIdentifier(table.post) ? table.post : undefined;
  if (tableIf || tablePost || !step.condition) return { guard: tableIf, post: tablePost };
  const parsed = parseCondition(step.condition);
  if (!parsed.portable) {
    diagnostics.push(d.nativeCondition(step.condition, parsed.reason, "step", at));
    return { guard: undefined, post: undefined };
  }
  const split = splitStepCondition(parsed.condition);
  if (!split) {
    diagnostics.push(d.unsupportedCondition(step.condition, at));
    return { guard: undefined, post: undefined };
  }
  return { guard: split.guard ? groovyCondition(split.guard) : undefined, post: split.post };
}

function shellStep(
  command: string,
  shell: string,
  name: string,
  extra: JsonMap,
  ctx: StepContext,
  at: d.At,
  diagnostics: Diag[],
): string[] {
  const known = SHELLS[shell];
  if (!known) diagnostics.push(d.unknownShell(shell, at));
  const { step, prefix } = known ?? { step: "sh" };
  const bound = ctx.bind(command);
  const script = prefix ? `${prefix}\n${bound}` : bound;
  // label and script first (what the step is, what it runs), then the table's other arguments.
  const over: JsonMap = { ...(name ? { label: ctx.bind(name) } : {}), script, ...extra };
  const merged: JsonMap = {};
  for (const key of ["label", "script", ...Object.keys(over).filter((k) => k !== "label" && k !== "script")]) {
    if (over[key] !== undefined) merged[key] = over[key] as JsonMap[string];
  }
  const call = Object.keys(merged).length === 1 ? `${step} ${groovyString(script)}` : `${step}(${namedArgs(merged)})`;
  return prefix ? [SHELL_PREFIX_MARKER, call] : [call];
}

/** `checkout scm`, or with a shallow clone (depth > 0; 0 is full history, Jenkins' default) and submodules. */
export function checkoutCall(depth: number, submodules: boolean): string {
  const extensions: string[] = [];
  if (depth > 0) extensions.push(`cloneOption(depth: ${depth}, shallow: true, noTags: false)`);
  if (submodules) extensions.push("submodule(recursiveSubmodules: true)");
  if (extensions.length === 0) return "checkout scm";
  return `checkout scmGit(branches: scm.branches, userRemoteConfigs: scm.userRemoteConfigs, extensions: [${extensions.join(", ")}])`;
}
