import type { Workflow } from "@cig/proto";
import { compareStrings, type Diag, errorDiag } from "@cig/sdk";
import { block, commentJson, groovyString, isGroovyIdentifier } from "./groovy-text.js";

/**
 * The pipeline's directives before `stages`, in this order:
 * - `agent none`: every stage chooses its own machine (render-agent), so no
 *   executor is held while stages wait for each other;
 * - `options`: `skipDefaultCheckout()` (each stage checks out explicitly,
 *   so a job can opt out), and `disableConcurrentBuilds()` for `[concurrency]`
 *   (`abortPrevious: true` with cancel_in_progress; Jenkins scopes it to the
 *   job and branch, the group name has no equivalent);
 * - `parameters`: one string parameter per manual input, then the skip
 *   machinery's force variable (when given);
 * - `triggers`: one `cron` with every schedule, in UTC (`TZ=UTC` line);
 * - `environment`: the workflow env, sorted.
 * Push and pull request triggers belong to the multibranch job's branch
 * sources, not to the Jenkinsfile; a comment records their filters.
 */
export function renderPipelineHeader(
  workflow: Workflow | undefined,
  diagnostics: Diag[],
  forceParameter?: { name: string; line: string },
): string[] {
  const lines = ["agent none"];
  const options = ["skipDefaultCheckout()"];
  if (workflow?.concurrency?.group)
    options.push(workflow.concurrency.cancelInProgress ? "disableConcurrentBuilds(abortPrevious: true)" : "disableConcurrentBuilds()");
  lines.push(...block("options", options));

  const params: string[] = [];
  const crons: string[] = [];
  const scm: string[] = [];
  for (const t of workflow?.triggers ?? []) {
    const kind = t.kind;
    if (kind.case === "schedule") crons.push(kind.value.cron);
    else if (kind.case === "manual") {
      for (const name of Object.keys(kind.value.inputs).sort(compareStrings)) {
        params.push(`string(name: ${groovyString(name)}, defaultValue: '', description: ${groovyString(kind.value.inputs[name] ?? "")})`);
      }
    } else if (kind.case === "push" || kind.case === "pullRequest") {
      const filters = Object.fromEntries(
        Object.entries(kind.value).filter(([k, val]) => !k.startsWith("$") && Array.isArray(val) && val.length > 0),
      );
      scm.push(`${kind.case === "push" ? "push" : "pull_request"} ${commentJson(filters)}`);
    }
  }
  // The skip machinery's force variable, unless a manual input of that name already declares it.
  const declared = (name: string) =>
    (workflow?.triggers ?? []).some((t) => t.kind.case === "manual" && Object.hasOwn(t.kind.value.inputs, name));
  if (forceParameter && !declared(forceParameter.name)) params.push(forceParameter.line);
  if (params.length > 0) lines.push(...block("parameters", params));
  // Jenkins cron runs in the controller's time zone unless the spec names one; cig's crons are UTC.
  if (crons.length > 0) lines.push(...block("triggers", [`cron(${groovyString(["TZ=UTC", ...crons].join("\n"))})`]));
  if (scm.length > 0)
    lines.unshift(`// cig: push and pull request builds come from the multibranch job's branch sources: ${scm.join("; ")}`);

  const env: string[] = [];
  for (const name of Object.keys(workflow?.env ?? {}).sort(compareStrings)) {
    if (!isGroovyIdentifier(name)) {
      diagnostics.push(
        errorDiag(
          "PROVIDER_JENKINS_BAD_ENV_NAME",
          `Environment variable name ${JSON.stringify(name)} cannot be declared in Jenkins`,
          "A Jenkins environment block names each variable with a Groovy identifier; this one was left out.",
          "Use letters, digits and _ only, not starting with a digit.",
        ),
      );
      continue;
    }
    env.push(`${name} = ${groovyString(workflow?.env[name] ?? "")}`);
  }
  if (env.length > 0) lines.push(...block("environment", env));
  return lines;
}
