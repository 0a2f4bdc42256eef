import type { CacheAction_Operation, JobResource, SetupToolAction, Step } from "@cig/proto";
import {
  bindMatrixValues,
  type Diag,
  effectiveStep,
  isJsonMap,
  isModuleRef,
  type Json,
  type JsonMap,
  type MergeTables,
  parseCondition,
  structToJson,
} from "@cig/sdk";
import { bindDeep } from "./bind-deep.js";
import { SUBJECT_VARIABLE, type SubjectVariables } from "./condition-rules.js";
import { needsJobStatus, shellTest } from "./condition-shell.js";
import { withComment } from "./gitlab-yaml.js";
import { mergeAppending } from "./merge-appending.js";
import { SETUP_TOOLS } from "./render-setup-tools.js";
import {
  type At,
  conditionNotApplied,
  emptyStep,
  foreignStep,
  nativeCondition,
  unknownTool,
  unresolvedModule,
  unsupportedShell,
} from "./step-diagnostics.js";
import { wrapStepCommand } from "./wrap-step-command.js";

/** Everything a job's steps contribute to the GitLab job. */
export interface RenderedSteps {
  setupTools: SetupToolAction[];
  script: string[];
  afterScript: string[];
  /** Job keys from step tables (artifacts, …), merged in step order, lists appended. */
  jobKeys: JsonMap;
  /** Clone settings from checkout steps (GIT_DEPTH, GIT_SUBMODULE_STRATEGY). */
  variables: Record<string, string>;
  /** Cache name → the operations of the steps that name it, in order. */
  cacheSteps: Map<string, CacheAction_Operation[]>;
  diagnostics: Diag[];
}

const SHELLS = new Set(["", "bash", "sh"]);

// A `gitlab` override's table replaces the step's table key by key (an
// override key wins whole, nested tables included); the other providers
// deep-merge the two. provider/gitlab has always done this, and deep-merging
// would change the pipelines it renders.
const replaceTableKeys: MergeTables = (step, override) => ({ ...step, ...override });

/**
 * A job's steps as GitLab script entries (docs/providers/gitlab.md#steps):
 * `run` steps in order into `script`, those whose condition needs the job's
 * outcome (failure(), always(), cancelled()) into `after_script`; setup
 * steps are collected for the image and `before_script`, cache steps for
 * `cache:`, checkout steps become clone variables. Matrix placeholders are
 * bound to the variant's values. `subjects`: the variables step conditions
 * read (a child pipeline reads the event elsewhere).
 */
export function renderSteps(
  job: JobResource,
  resourceId: string,
  unknownAxes: Set<string>,
  subjects: SubjectVariables = SUBJECT_VARIABLE,
): RenderedSteps {
  const out: RenderedSteps = {
    setupTools: [],
    script: [],
    afterScript: [],
    jobKeys: {},
    variables: {},
    cacheSteps: new Map(),
    diagnostics: [],
  };
  const bind = (s: string) => bindMatrixValues(s, job.matrix, unknownAxes);
  for (const original of job.steps) {
    const step = effectiveStep(original, "gitlab", replaceTableKeys);
    const at: At = { resourceId, loc: step.loc ?? original.loc };
    const { skip, script, if: shellIf, ...jobKeys } = structToJson(step.passthrough.gitlab);
    if (skip === true) continue;
    const action = step.action;
    let commands: string[] | undefined;
    switch (action.case) {
      case "run":
        commands = [bind(action.value.command)];
        if (!SHELLS.has(action.value.shell) && script === undefined) out.diagnostics.push(unsupportedShell(action.value.shell, at));
        break;
      case "uses":
        if (isModuleRef(action.value.ref)) {
          out.diagnostics.push(unresolvedModule(action.value.ref, at));
          continue;
        }
        if (Object.keys(structToJson(step.passthrough.gitlab)).length === 0) {
          out.diagnostics.push(foreignStep(action.value.ref, at));
          continue;
        }
        break;
      case "setupTool":
        if ((SETUP_TOOLS as readonly string[]).includes(action.value.tool))
          out.setupTools.push({ ...action.value, version: bind(action.value.version) });
        else out.diagnostics.push(unknownTool(action.value.tool, at));
        break;
      case "checkout":
        // GitLab clones before the job; a checkout step only tunes the clone. 0 = full history, as in cig.
        out.variables.GIT_DEPTH = String(action.value.fetchDepth);
        if (action.value.submodules) out.variables.GIT_SUBMODULE_STRATEGY = "recursive";
        break;
      case "cache": {
        const ops = out.cacheSteps.get(action.value.name) ?? [];
        ops.push(action.value.operation);
        out.cacheSteps.set(action.value.name, ops);
        break;
      }
      default:
        out.diagnostics.push(emptyStep(at));
        continue;
    }
    out.jobKeys = mergeAppending(out.jobKeys, bindDeep(jobKeys, bind) as JsonMap);
    // A table's script replaces the step's commands; for a foreign step it is the step.
    const fromTable = script !== undefined;
    if (fromTable) commands = (Array.isArray(script) ? script : [script]).map((s) => bind(jsonText(s)));
    if (commands === undefined) {
      // A table that sets `when` somewhere (artifacts:when) has expressed the condition itself.
      if (step.condition !== "" && !hasKey(jobKeys, "when")) out.diagnostics.push(conditionNotApplied(step.condition, at));
      continue;
    }
    const placed = placeCondition(step, typeof shellIf === "string" ? shellIf : undefined, at, out.diagnostics, subjects);
    const name = bind(step.name);
    // Lines that are not a graph `run` step's command carry a `cig:` comment (docs: the parser skips them).
    const comment = action.case === "run" ? name : `cig: ${name || (action.case === "uses" ? action.value.ref : "step")} (gitlab table)`;
    const target = placed.after ? out.afterScript : out.script;
    commands.forEach((command, i) => {
      const text = wrapStepCommand(command, {
        test: placed.test,
        conditionText: step.condition,
        workingDirectory: bind(step.workingDirectory),
        env: Object.fromEntries(Object.entries(step.env).map(([k, v]) => [k, bind(v)])),
        timeoutMinutes: step.timeoutMinutes,
        continueOnError: step.continueOnError,
      });
      target.push(withComment(i === 0 || action.case !== "run" ? comment : "", text));
    });
  }
  return out;
}

// Where a step's condition puts it and the shell test guarding it. A native
// condition needs the table's `if`; without one it is reported and dropped.
function placeCondition(
  step: Step,
  tableIf: string | undefined,
  at: At,
  diagnostics: Diag[],
  subjects: SubjectVariables,
): { after: boolean; test: string } {
  if (tableIf !== undefined) return { after: false, test: tableIf };
  if (step.condition === "") return { after: false, test: "" };
  const parsed = parseCondition(step.condition);
  if (!parsed.portable) {
    diagnostics.push(nativeCondition(step.condition, parsed.reason, "step", at));
    return { after: false, test: "" };
  }
  const after = needsJobStatus(parsed.condition);
  return { after, test: shellTest(parsed.condition, after ? "after_script" : "script", subjects) };
}

function hasKey(value: Json, key: string): boolean {
  if (Array.isArray(value)) return value.some((v) => hasKey(v, key));
  return isJsonMap(value) && Object.entries(value).some(([k, v]) => k === key || hasKey(v, key));
}

function jsonText(value: Json): string {
  return typeof value === "string" ? value : isJsonMap(value) || Array.isArray(value) ? JSON.stringify(value) : String(value);
}
