import type { ConfigProblem } from "./config-codes.js";
import { type DocPath, formatPath } from "./document-path.js";
import { tableOf } from "./plain-access.js";
import type { SourceMap } from "./source-map.js";

/**
 * Checks the steps of one job: each does exactly one thing (`run` or `uses`)
 * and has only the keys of that kind, and step ids are unique in the job.
 * `stepKeys` are the keys a step may have (from the schema), so that a step
 * whose only mistake is a misspelt `run` gets the unknown-key diagnostic
 * alone, not a second one saying it has no action.
 */
export function checkSteps(steps: unknown, path: DocPath, stepKeys: readonly string[], map: SourceMap): ConfigProblem[] {
  if (!Array.isArray(steps)) return [];
  const out: ConfigProblem[] = [];
  const ids = new Map<string, number>();
  steps.forEach((value, i) => {
    const step = tableOf(value);
    if (!step) return;
    const here = [...path, i];
    const at = formatPath(here);
    const has = (key: string) => step[key] !== undefined;
    const problem = (title: string, hint: string, key?: string) =>
      out.push({ code: "CIG_CONFIG_STEP_ACTION", title, hint, loc: key ? map.locateKey([...here, key]) : map.locate(here) });
    if (has("run") && has("uses")) {
      problem(`${at} has both run and uses`, "A step does one thing: split it into { run = … } and { uses = … }.", "uses");
    } else if (!has("run") && !has("uses")) {
      if (has("with")) problem(`${at} has with but no uses`, 'Add uses = "…" naming the module or action the inputs are for.', "with");
      else if (Object.keys(step).every((k) => stepKeys.includes(k))) {
        problem(`${at} has neither run nor uses`, 'Add run = "<command>" or uses = "<module or action>@<version>".');
      }
    } else if (has("run") && has("with")) {
      problem(
        `${at} has with, which only uses steps take`,
        "Pass values to a run step through env = { … }, or make it a uses step.",
        "with",
      );
    } else if (has("uses") && has("shell")) {
      problem(`${at} has shell, which only run steps take`, "Remove shell; the module or action decides how it runs.", "shell");
    }
    if (typeof step.id === "string") {
      const first = ids.get(step.id);
      if (first === undefined) ids.set(step.id, i);
      else {
        const firstLoc = map.locate([...path, first, "id"]);
        out.push({
          code: "CIG_CONFIG_DUPLICATE",
          title: `step id "${step.id}" is used twice in ${formatPath(path.slice(0, -1))}`,
          message: `${at} has id "${step.id}", which ${formatPath([...path, first])} (line ${firstLoc.line}) already has; step ids must be unique within a job.`,
          hint: "Rename one of the two steps.",
          loc: map.locate([...here, "id"]),
        });
      }
    }
  });
  return out;
}
