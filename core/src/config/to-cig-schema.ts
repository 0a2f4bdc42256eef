import { create } from "@bufbuild/protobuf";
import {
  CacheSchema,
  type CigSchema,
  CigSchemaSchema,
  ConcurrencySchema,
  OutputSchema,
  PluginRefSchema,
  ProjectSchema,
  RunnerSchema,
  SignaturesSchema,
  type Trigger,
  TriggerSchema,
  WorkflowSchema,
} from "@cig/proto";
import { CORE_VERSION } from "../version.js";
import type { RawConfig, RawFilters, RawTriggers } from "./raw-config.js";
import { textMap } from "./raw-config.js";
import type { SourceMap } from "./source-map.js";
import { toJob } from "./to-job.js";

/** Defaults of [signatures] (docs/work-signatures.md), made explicit for every provider. */
export const SIGNATURE_DEFAULTS = {
  command: `npx --yes @cig/core@${CORE_VERSION}`,
  forceEnv: "CIG_FORCE",
  storeDir: ".cig/passes",
} as const;

/** Where cig writes when cig.toml has no [[outputs]]: GitHub Actions, the most common platform. */
export const DEFAULT_OUTPUT = { provider: "github", path: ".github/workflows/ci.yml", description: "CI workflow" } as const;

/**
 * Maps a valid document to the protocol's CigSchema. Tables become messages
 * sorted by name so that every plugin sees the same bytes for the same file;
 * defaults that change what is generated ([on], [[outputs]]) are made
 * explicit here, once, instead of in every provider.
 */
export function toCigSchema(raw: RawConfig, file: string, map: SourceMap): CigSchema {
  const sorted = <T>(table: Record<string, T> | undefined) => Object.entries(table ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const outputs = raw.outputs && raw.outputs.length > 0 ? raw.outputs : [DEFAULT_OUTPUT];
  return create(CigSchemaSchema, {
    version: raw.version,
    project: create(ProjectSchema, { name: raw.project?.name ?? "", defaultRunner: raw.project?.default_runner ?? "" }),
    variables: textMap(raw.variables),
    jobs: sorted(raw.jobs).map(([id, job]) => toJob(id, job, map)),
    caches: sorted(raw.caches).map(([name, c]) =>
      create(CacheSchema, { name, paths: c.paths ?? [], keyParts: c.key_parts ?? [], restoreKeys: c.restore_keys ?? [] }),
    ),
    runners: sorted(raw.runners).map(([name, providers]) => create(RunnerSchema, { name, providers })),
    outputs: outputs.map((o) => create(OutputSchema, { provider: o.provider, path: o.path, description: o.description ?? "" })),
    workflow: create(WorkflowSchema, {
      // Without [on]: pushes to main and every pull request (not every push: a PR branch would run twice).
      triggers: toTriggers(raw.on ?? { push: { branches: ["main"] }, pull_request: true }),
      permissions: raw.permissions ?? {},
      ...(raw.concurrency
        ? {
            concurrency: create(ConcurrencySchema, {
              group: raw.concurrency.group,
              cancelInProgress: raw.concurrency.cancel_in_progress ?? false,
            }),
          }
        : {}),
      env: textMap(raw.env),
    }),
    plugins: sorted(raw.plugins).map(([name, ref]) =>
      typeof ref === "string"
        ? create(PluginRefSchema, { name, constraint: ref })
        : create(PluginRefSchema, { name, constraint: ref.version, source: ref.source ?? "" }),
    ),
    sourcePath: file,
    signatures: create(SignaturesSchema, {
      command: raw.signatures?.command ?? SIGNATURE_DEFAULTS.command,
      forceEnv: raw.signatures?.force_env ?? SIGNATURE_DEFAULTS.forceEnv,
      salt: raw.signatures?.salt ?? "",
      storeDir: raw.signatures?.store_dir ?? SIGNATURE_DEFAULTS.storeDir,
    }),
  });
}

/** Triggers in a fixed order (push, pull_request, each schedule, manual); `false` and absent mean none. */
function toTriggers(on: RawTriggers): Trigger[] {
  const out: Trigger[] = [];
  const filters = (f: boolean | RawFilters | undefined): RawFilters | undefined => (f === true ? {} : f === false ? undefined : f);
  const push = filters(on.push);
  if (push) {
    const value = { branches: push.branches ?? [], branchesIgnore: push.branches_ignore ?? [], tags: push.tags ?? [] };
    out.push(
      create(TriggerSchema, { kind: { case: "push", value: { ...value, paths: push.paths ?? [], pathsIgnore: push.paths_ignore ?? [] } } }),
    );
  }
  const pr = filters(on.pull_request);
  if (pr) {
    const value = {
      branches: pr.branches ?? [],
      branchesIgnore: pr.branches_ignore ?? [],
      paths: pr.paths ?? [],
      pathsIgnore: pr.paths_ignore ?? [],
    };
    out.push(create(TriggerSchema, { kind: { case: "pullRequest", value: { ...value, types: pr.types ?? [] } } }));
  }
  for (const s of on.schedule ?? []) out.push(create(TriggerSchema, { kind: { case: "schedule", value: { cron: s.cron.trim() } } }));
  const manual = on.manual === true ? {} : on.manual === false ? undefined : on.manual;
  if (manual) out.push(create(TriggerSchema, { kind: { case: "manual", value: { inputs: manual.inputs ?? {} } } }));
  return out;
}
