import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { bindMatrixValues } from "@cig/sdk";
import { describe, expect, it } from "vitest";
import { CIG, cases, HERE } from "./golden-cases.js";
import type { NeutralGraph, NeutralJob } from "./neutral-graph.js";
import { normalizeCondition } from "./normalize-condition.js";
import { PROVIDERS } from "./providers.js";

// Semantic equivalence: every provider's golden output, read back by that
// provider's parser into a neutral graph (job variants, edges, commands,
// matrix cells, service images, conditions), must equal the graph
// `cig plan --json` planned. A provider that drops a dependency, a step, a
// condition or a matrix cell fails here even when its platform's schema is happy.

interface PlannedStep {
  kind: string;
  command?: string;
  skipped_on: string[];
}
interface PlannedJob {
  id: string;
  matrix: Record<string, string>;
  needs: string[];
  condition: string;
  service_images: string[];
  steps: PlannedStep[];
}

const strip = (id: string) => id.replace(/^job:/, "");
const byId = (a: NeutralJob, b: NeutralJob) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function planned(input: string): PlannedJob[] {
  const r = spawnSync(process.execPath, [CIG, "--cwd", input, "plan", "--json"], { encoding: "utf8", timeout: 60_000 });
  const json = JSON.parse(r.stdout) as { ok: boolean; jobs: PlannedJob[] };
  expect(json.ok, r.stderr).toBe(true);
  return json.jobs;
}

/** What provider `p`'s output must mean: the planned variants, with the steps that provider runs. */
function expectedFor(p: string, jobs: readonly PlannedJob[]): NeutralGraph {
  return jobs
    .map((j) => ({
      id: strip(j.id),
      needs: j.needs.map(strip).sort(),
      commands: j.steps
        .filter((s) => s.kind === "run" && !s.skipped_on.includes(p))
        .map((s) => bindMatrixValues(s.command ?? "", j.matrix)),
      matrix: j.matrix,
      services: j.service_images.map((i) => bindMatrixValues(i, j.matrix)).sort(),
      condition: normalizeCondition(j.condition),
    }))
    .sort(byId);
}

function files(root: string, base = root): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((name) => {
    const p = join(root, name);
    return statSync(p).isDirectory() ? files(p, base) : [relative(base, p)];
  });
}

const rendering = cases.filter((c) => !existsSync(join(HERE, c, "expected", "exit-code")));

describe.each(rendering)("equivalence: %s", (name) => {
  const jobs = planned(join(HERE, name, "input"));

  it.each(Object.keys(PROVIDERS))("%s output means the planned graph", (provider) => {
    const root = join(HERE, name, "expected", provider);
    const outputs = files(root);
    expect(outputs.length, `no ${provider} output for ${name}`).toBeGreaterThan(0);
    const kit = PROVIDERS[provider] as (typeof PROVIDERS)[string];
    // A committed bootstrap means nothing by itself: the pipeline it renders at run time does.
    const bootstraps = new Set(outputs.filter((f) => f.startsWith("run-time/")).map((f) => f.slice("run-time/".length)));
    for (const f of outputs.filter((f) => !bootstraps.has(f))) {
      const got = kit
        .parse(readFileSync(join(root, f), "utf8"))
        .map((j) => ({ ...j, condition: normalizeCondition(j.condition) }))
        .sort(byId);
      expect(got, `${provider}: ${f}`).toEqual(expectedFor(provider, jobs));
    }
  });
});
