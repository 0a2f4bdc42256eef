/** The golden cases and what their cig.toml says about outputs; shared by the golden and equivalence tests. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const HERE = dirname(fileURLToPath(import.meta.url));
/** The built CLI, as users run it. */
export const CIG = join(HERE, "../core/bin/cig.js");
/** Every golden case: a directory with an input/ repository. */
export const cases = readdirSync(HERE).filter((d) => existsSync(join(HERE, d, "input")));

// smol-toml is the core's TOML parser; golden-tests/ has no dependencies of its own.
const { parse } = createRequire(join(HERE, "../core/package.json"))("smol-toml") as { parse(text: string): Record<string, unknown> };

/** One [[outputs]] entry. */
export interface CaseOutput {
  provider: string;
  path: string;
}

/** The case's [[outputs]] (cig's default when it has none). */
export function outputsOf(input: string): CaseOutput[] {
  try {
    const doc = parse(readFileSync(join(input, "cig.toml"), "utf8"));
    const outputs = Array.isArray(doc.outputs) ? (doc.outputs as CaseOutput[]) : [];
    return outputs.length > 0 ? outputs : [{ provider: "github", path: ".github/workflows/ci.yml" }];
  } catch {
    // Error cases may not parse; they render no files.
    return [];
  }
}

/** Which provider's output `path` is ("_unknown" when no [[outputs]] entry names it). */
export function providerOf(outputs: readonly CaseOutput[], path: string): string {
  return outputs.find((o) => o.path === path)?.provider ?? "_unknown";
}

/** Providers whose committed file is a bootstrap when jobs are skippable (the pipeline is rendered at run time). */
export const RUN_TIME_PROVIDERS: readonly string[] = ["circleci", "buildkite", "gitlab"];

/** Whether the case's cig.toml has a job the skip machinery applies to (skip_if or inputs, not never_skip). */
export function hasSkippableJobs(input: string): boolean {
  try {
    const doc = parse(readFileSync(join(input, "cig.toml"), "utf8"));
    const jobs = Object.values((doc.jobs ?? {}) as Record<string, Record<string, unknown>>);
    return jobs.some((j) => j.never_skip !== true && (j.skip_if !== undefined || (Array.isArray(j.inputs) && j.inputs.length > 0)));
  } catch {
    return false;
  }
}
