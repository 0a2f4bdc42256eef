import type { Diagnostic } from "@cig/proto";
import { type ConfigProblem, configDiagnostic } from "./config-codes.js";
import { didYouMean } from "./did-you-mean.js";
import { type DocPath, formatKey, formatPath } from "./document-path.js";
import type { PlainTable } from "./parse-toml.js";
import { quotedList, stringsOf, tableOf } from "./plain-access.js";
import { cigSchema } from "./schema-validator.js";
import type { SourceMap } from "./source-map.js";
import { checkSteps } from "./step-checks.js";

/**
 * Checks what a JSON Schema cannot: that names refer to things that exist
 * (needs, runner, caches, exclude axes), uniqueness across tables, and jobs
 * that do nothing. Runs on the raw data even when the schema check failed,
 * so that one run reports everything; values of the wrong type are skipped.
 */
export function semanticChecks(data: PlainTable, map: SourceMap): Diagnostic[] {
  const out: ConfigProblem[] = [];
  const jobs = tableOf(data.jobs) ?? {};
  const jobIds = Object.keys(jobs);
  const runners = Object.keys(tableOf(data.runners) ?? {});
  const caches = Object.keys(tableOf(data.caches) ?? {});
  const stepKeys = Object.keys(((cigSchema().definitions as Record<string, { properties: object }>).step ?? { properties: {} }).properties);

  const defaultRunner = tableOf(data.project)?.default_runner;
  if (typeof defaultRunner === "string") out.push(...unknownName("runner", defaultRunner, runners, ["project", "default_runner"], map));

  for (const [id, value] of Object.entries(jobs)) {
    const job = tableOf(value);
    if (!job) continue;
    const base = ["jobs", id];
    for (const [need, i] of stringsOf(job.needs)) {
      if (jobs[need] !== undefined) continue;
      const close = didYouMean(need, jobIds);
      const variantOf = jobIds.find((j) => need.startsWith(`${j}-`) && tableOf(jobs[j])?.matrix !== undefined);
      out.push({
        code: "CIG_CONFIG_UNKNOWN_NEEDS",
        title: `job "${id}" needs "${need}", which is not a job`,
        hint: close
          ? `Did you mean "${close}"?`
          : variantOf
            ? `needs names whole jobs: "${variantOf}" waits for every variant of its matrix.`
            : jobIds.length > 1
              ? `Name one of the jobs: ${quotedList(jobIds.filter((j) => j !== id))}.`
              : `There is no other job: declare [jobs.${formatKey(need)}], or remove the entry.`,
        loc: map.locate([...base, "needs", i]),
      });
    }
    if (typeof job.runner === "string") out.push(...unknownName("runner", job.runner, runners, [...base, "runner"], map));
    for (const [cache, i] of stringsOf(job.caches)) out.push(...unknownName("cache", cache, caches, [...base, "caches", i], map));
    out.push(...checkSteps(job.steps, [...base, "steps"], stepKeys, map));
    out.push(...checkExcludes(job.matrix, [...base, "matrix"], map));
    // Only when both are absent or empty: a value of the wrong type is already an error of its own.
    const none = (v: unknown) => v === undefined || (Array.isArray(v) && v.length === 0);
    if (none(job.steps) && none(job.packages)) {
      out.push({
        code: "CIG_CONFIG_EMPTY_JOB",
        warning: true,
        title: `job "${id}" has no steps and no packages, so it does nothing`,
        hint: 'Add steps = [{ run = "…" }] or packages = ["…"], or remove the job.',
        loc: map.locateKey(base),
      });
    }
  }
  out.push(...checkOutputs(data.outputs, map));
  out.push(...checkRunnerProviders(data, map));
  return out.map(configDiagnostic);
}

function unknownName(kind: "runner" | "cache", name: string, known: string[], path: DocPath, map: SourceMap): ConfigProblem[] {
  if (known.includes(name)) return [];
  const close = didYouMean(name, known);
  const declare =
    kind === "runner" ? `[runners.${name}] github = { runs-on = "ubuntu-latest" }` : `[caches.${name}] paths = […] and key_parts = […]`;
  const hint = close
    ? `Did you mean "${close}"?`
    : known.length === 0
      ? `There are no [${kind}s.<name>] tables; declare one: ${declare}.`
      : `Declare it (${declare}), or use one of: ${quotedList(known)}.`;
  return [
    {
      code: kind === "runner" ? "CIG_CONFIG_UNKNOWN_RUNNER" : "CIG_CONFIG_UNKNOWN_CACHE",
      title: `${formatPath(path)} names ${kind} "${name}", which is not declared`,
      hint,
      loc: map.locate(path),
    },
  ];
}

/**
 * Every runner a job runs on needs a table for every provider cig.toml
 * renders: without one the provider could only guess a machine, and a
 * guessed machine is a silently different pipeline.
 */
function checkRunnerProviders(data: PlainTable, map: SourceMap): ConfigProblem[] {
  const runners = tableOf(data.runners) ?? {};
  const outputs = Array.isArray(data.outputs) ? data.outputs : [{ provider: "github" }];
  // Unknown provider names and runner keys are reported by the schema check; one diagnostic per mistake.
  const known = Object.keys(RUNNER_EXAMPLES);
  const providers = [...new Set(outputs.map((o) => tableOf(o)?.provider))].filter(
    (p): p is string => typeof p === "string" && known.includes(p),
  );
  const defaultRunner = tableOf(data.project)?.default_runner;
  const usedBy = new Map<string, string[]>();
  for (const [id, value] of Object.entries(tableOf(data.jobs) ?? {})) {
    const job = tableOf(value);
    const runner = typeof job?.runner === "string" ? job.runner : defaultRunner;
    if (typeof runner !== "string" || tableOf(runners[runner]) === undefined) continue;
    usedBy.set(runner, [...(usedBy.get(runner) ?? []), id]);
  }
  const out: ConfigProblem[] = [];
  for (const [runner, jobs] of usedBy) {
    const table = tableOf(runners[runner]) ?? {};
    if (Object.keys(table).some((k) => !known.includes(k))) continue;
    for (const provider of providers) {
      if (table[provider] !== undefined) continue;
      const has = Object.keys(table);
      out.push({
        code: "CIG_CONFIG_RUNNER_NO_PROVIDER",
        title: `runner "${runner}" has no ${provider} table, but ${provider} is rendered`,
        message: `Job${jobs.length > 1 ? "s" : ""} ${quotedList(jobs)} run${jobs.length > 1 ? "" : "s"} on runner "${runner}", which says which machine to use on ${has.length > 0 ? has.join(", ") : "no provider"} but not on ${provider}.`,
        hint: `Add ${provider} = ${RUNNER_EXAMPLES[provider] ?? "{ … }"} (with the machine you want) to [runners.${formatKey(runner)}], or remove the ${provider} [[outputs]] entry.`,
        loc: map.locateKey(["runners", runner]),
      });
    }
  }
  return out;
}

const RUNNER_EXAMPLES: Record<string, string> = {
  github: '{ runs-on = "ubuntu-latest" }',
  circleci: '{ resource_class = "medium" }',
  buildkite: '{ agents = { queue = "default" } }',
  jenkins: '{ label = "linux" }',
  gitlab: '{ tags = ["linux"] }',
};

function checkExcludes(matrix: unknown, path: DocPath, map: SourceMap): ConfigProblem[] {
  const table = tableOf(matrix);
  if (!table || !Array.isArray(table.exclude)) return [];
  const axes = Object.keys(table).filter((k) => k !== "include" && k !== "exclude");
  return table.exclude.flatMap((cell, i) =>
    Object.keys(tableOf(cell) ?? {})
      .filter((axis) => !axes.includes(axis))
      .map((axis): ConfigProblem => {
        const close = didYouMean(axis, axes);
        return {
          code: "CIG_CONFIG_UNKNOWN_AXIS",
          title: `matrix exclude names axis "${axis}", which ${formatPath(path)} does not have`,
          hint: close ? `Did you mean "${close}"?` : `exclude entries match axes: ${quotedList(axes)}.`,
          loc: map.locateKey([...path, "exclude", i, axis]),
        };
      }),
  );
}

// The schema refuses these paths with `not` patterns, which carry no reason; this says which rule broke.
const ABSOLUTE = /^([/\\]|[a-zA-Z]:)/;
const PARENT = /(^|[/\\])\.\.([/\\]|$)/;

/** Output paths: inside the repository, and each written by one output only. */
function checkOutputs(outputs: unknown, map: SourceMap): ConfigProblem[] {
  if (!Array.isArray(outputs)) return [];
  const seen = new Map<string, number>();
  const out: ConfigProblem[] = [];
  outputs.forEach((o, i) => {
    const path = tableOf(o)?.path;
    if (typeof path !== "string") return;
    const loc = map.locate(["outputs", i, "path"]);
    if (ABSOLUTE.test(path) || PARENT.test(path)) {
      const why = ABSOLUTE.test(path) ? "is absolute" : "leaves the repository through ..";
      const hint = 'Write a path relative to the repository root, e.g. ".github/workflows/ci.yml".';
      out.push({ code: "CIG_CONFIG_VALUE", title: `outputs[${i}].path ${JSON.stringify(path)} ${why}`, hint, loc });
      return;
    }
    const first = seen.get(path);
    if (first === undefined) seen.set(path, i);
    else
      out.push({
        code: "CIG_CONFIG_DUPLICATE",
        title: `outputs[${i}] writes ${JSON.stringify(path)}, like outputs[${first}]`,
        hint: "Each [[outputs]] needs its own path; remove one or change its path.",
        loc,
      });
  });
  return out;
}
