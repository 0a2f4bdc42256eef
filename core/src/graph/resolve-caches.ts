import { clone, create } from "@bufbuild/protobuf";
import {
  CacheResourceSchema,
  CacheSchema,
  type CigSchema,
  type Job,
  type Resource,
  Resource_Kind,
  ResourceSchema,
  type Step,
} from "@cig/proto";
import { compareUtf8 } from "./compare-utf8.js";
import type { ExpandedJob } from "./expand-jobs.js";
import type { DiagnosticSink } from "./graph-diagnostics.js";
import type { InterpolationScope } from "./interpolate.js";
import { JobInterpolator } from "./interpolate-job.js";
import { unknownVariableReporter } from "./report-unknown-variable.js";

/**
 * One `cache:<name>` resource per `[caches.<name>]` table, its key parts,
 * paths and restore keys interpolated. A cache is shared by the jobs that
 * use it, so a bare name resolves as a matrix reference only when it is a
 * matrix key of every one of them (then each variant fills in its own
 * value); otherwise it must be a variable or a fact. `job_ids` are the
 * cig.toml ids of the users (`caches = [...]` or a cache step), sorted.
 */
export function resolveCaches(
  schema: CigSchema,
  jobs: readonly ExpandedJob[],
  facts: Readonly<Record<string, string>>,
  sink: DiagnosticSink,
): Resource[] {
  const users = new Map<string, ExpandedJob[]>();
  for (const expanded of jobs) {
    for (const name of cachesUsedBy(expanded.job)) {
      const list = users.get(name);
      if (list) list.push(expanded);
      else users.set(name, [expanded]);
    }
  }
  return [...schema.caches]
    .sort((a, b) => compareUtf8(a.name, b.name))
    .map((cache) => {
      const using = users.get(cache.name) ?? [];
      const scope: InterpolationScope = { matrix: sharedKeys(using), variables: schema.variables, facts };
      const report = unknownVariableReporter(sink, scope, {
        label: `cache ${cache.name}`,
        resourceId: `cache:${cache.name}`,
        note: (name) => {
          const have = using.filter((u) => u.matrixKeys.has(name)).map((u) => u.job.id);
          const lack = using.filter((u) => !u.matrixKeys.has(name)).map((u) => u.job.id);
          if (have.length === 0) return undefined;
          return `"${name}" is a matrix key of ${list(have)} but not of ${list(lack)}, which also use${lack.length === 1 ? "s" : ""} this cache.`;
        },
      });
      // Without a locator entry for the string itself, report at the [caches.<name>] table.
      const interpolator = new JobInterpolator(scope, report, sink.locate(["caches", cache.name]));
      const text = (items: readonly string[], key: string) => interpolator.list(items, ["caches", cache.name, key]);
      const resolved = clone(CacheSchema, cache);
      resolved.keyParts = text(cache.keyParts, "key_parts");
      resolved.paths = text(cache.paths, "paths");
      resolved.restoreKeys = text(cache.restoreKeys, "restore_keys");
      return create(ResourceSchema, {
        id: `cache:${cache.name}`,
        kind: Resource_Kind.CACHE,
        owner: "cig",
        spec: {
          case: "cache",
          value: create(CacheResourceSchema, { cache: resolved, jobIds: using.map((u) => u.job.id).sort(compareUtf8) }),
        },
      });
    });
}

/** Names of the caches a job uses: its `caches` list and the caches its steps restore or save, sorted. */
export function cachesUsedBy(job: Job): string[] {
  const names = new Set(job.caches);
  const visit = (step: Step | undefined): void => {
    if (!step) return;
    if (step.action.case === "cache") names.add(step.action.value.name);
    for (const o of step.providerOverrides) visit(o.step);
  };
  for (const step of job.steps) visit(step);
  return [...names].sort(compareUtf8);
}

function sharedKeys(using: readonly ExpandedJob[]): Set<string> {
  const [first, ...rest] = using;
  if (!first) return new Set();
  return new Set([...first.matrixKeys].filter((k) => rest.every((u) => u.matrixKeys.has(k))));
}

function list(ids: readonly string[]): string {
  return ids.map((id) => `"${id}"`).join(", ");
}
