import type { JsonObject, JsonValue } from "@bufbuild/protobuf";

/**
 * The shape of a cig.toml that passed the schema check, as TypeScript types.
 * core/schema/cig.schema.json is the authority; these mirror it for the
 * mapping to CigSchema, which only ever sees valid documents.
 */
export type Scalar = string | number | boolean;

/** Provider name → its native keys. */
export type ProviderTables = { [provider: string]: JsonObject };

export interface RawConfig {
  version: string;
  project?: { name?: string; default_runner?: string };
  variables?: Record<string, Scalar>;
  env?: Record<string, Scalar>;
  on?: RawTriggers;
  permissions?: Record<string, string>;
  concurrency?: { group: string; cancel_in_progress?: boolean };
  jobs?: Record<string, RawJob>;
  caches?: Record<string, RawCache>;
  runners?: Record<string, ProviderTables>;
  outputs?: RawOutput[];
  plugins?: Record<string, string | { version: string; source?: string }>;
  signatures?: { command?: string; salt?: string; force_env?: string; store_dir?: string };
}

export interface RawFilters {
  branches?: string[];
  branches_ignore?: string[];
  tags?: string[];
  paths?: string[];
  paths_ignore?: string[];
  types?: string[];
}

export interface RawTriggers {
  push?: boolean | RawFilters;
  pull_request?: boolean | RawFilters;
  schedule?: { cron: string }[];
  manual?: boolean | { inputs?: Record<string, string> };
}

export interface RawJob {
  needs?: string[];
  matrix?: Record<string, Scalar[] | Record<string, Scalar>[]>;
  packages?: string[];
  steps?: RawStep[];
  skip_if?: { paths_unmodified?: string[]; env?: string[]; branch?: string[] };
  runner?: string;
  env?: Record<string, Scalar>;
  services?: string[] | Record<string, RawService>;
  caches?: string[];
  timeout?: number;
  if?: string;
  inputs?: string[];
  never_skip?: boolean;
  [provider: string]: unknown;
}

export interface RawStep {
  run?: string;
  uses?: string;
  with?: { [key: string]: JsonValue };
  name?: string;
  id?: string;
  if?: string;
  env?: Record<string, Scalar>;
  working_directory?: string;
  timeout?: number;
  continue_on_error?: boolean;
  shell?: string;
  [provider: string]: unknown;
}

export interface RawService {
  image?: string;
  env?: Record<string, Scalar>;
  ports?: (string | number)[];
  health?: { command: string; interval?: number; timeout?: number; retries?: number };
  [provider: string]: unknown;
}

export interface RawCache {
  paths?: string[];
  key_parts?: string[];
  restore_keys?: string[];
}

export interface RawOutput {
  provider: string;
  path: string;
  description?: string;
}

/** The providers cig knows; their tables pass through untouched. */
export const PROVIDERS = ["github", "circleci", "buildkite", "jenkins", "gitlab"] as const;

/** The provider tables present on a job, step or service. */
export function passthrough(table: Record<string, unknown>): ProviderTables {
  const out: ProviderTables = {};
  for (const p of PROVIDERS) if (table[p] !== undefined) out[p] = table[p] as JsonObject;
  return out;
}

/** Text of a scalar: integers and booleans as written ("5432", "true"). */
export function text(value: Scalar): string {
  return String(value);
}

/** A table of scalars as a table of strings. */
export function textMap(table: Record<string, Scalar> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(table ?? {})) out[k] = text(v);
  return out;
}
