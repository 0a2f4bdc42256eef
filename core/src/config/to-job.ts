import { create, fromJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import {
  HealthCheckSchema,
  type Job,
  JobSchema,
  type Matrix,
  MatrixAxisSchema,
  MatrixCellSchema,
  MatrixSchema,
  type Service,
  ServiceSchema,
  SkipIfSchema,
  type Step,
  StepSchema,
} from "@cig/proto";
import type { DocPath } from "./document-path.js";
import { passthrough, type RawJob, type RawService, type RawStep, type Scalar, text, textMap } from "./raw-config.js";
import type { SourceMap } from "./source-map.js";

/** One [jobs.<id>] table as a Job message; `{{ … }}` strings are kept as written for the graph stage. */
export function toJob(id: string, raw: RawJob, map: SourceMap): Job {
  const path = ["jobs", id];
  return create(JobSchema, {
    id,
    needs: raw.needs ?? [],
    ...(raw.matrix ? { matrix: toMatrix(raw.matrix) } : {}),
    packages: raw.packages ?? [],
    steps: (raw.steps ?? []).map((s, i) => toStep(s, [...path, "steps", i], map)),
    ...(raw.skip_if
      ? {
          skipIf: create(SkipIfSchema, {
            pathsUnmodified: raw.skip_if.paths_unmodified ?? [],
            env: raw.skip_if.env ?? [],
            branch: raw.skip_if.branch ?? [],
          }),
        }
      : {}),
    runner: raw.runner ?? "",
    env: textMap(raw.env),
    services: toServices(raw.services),
    caches: raw.caches ?? [],
    timeoutMinutes: raw.timeout ?? 0,
    condition: raw.if ?? "",
    inputs: raw.inputs ?? [],
    neverSkip: raw.never_skip ?? false,
    passthrough: passthrough(raw),
    loc: map.locateKey(path),
  });
}

/** Axes in the order written (variant names follow it); include/exclude cells as tables of strings. */
function toMatrix(raw: NonNullable<RawJob["matrix"]>): Matrix {
  const cells = (list: unknown) => ((list ?? []) as Record<string, Scalar>[]).map((c) => create(MatrixCellSchema, { values: textMap(c) }));
  const axes = Object.entries(raw)
    .filter(([name]) => name !== "include" && name !== "exclude")
    .map(([name, values]) => create(MatrixAxisSchema, { name, values: (values as Scalar[]).map(text) }));
  return create(MatrixSchema, { axes, include: cells(raw.include), exclude: cells(raw.exclude) });
}

function toStep(raw: RawStep, path: DocPath, map: SourceMap): Step {
  const action =
    raw.uses !== undefined
      ? {
          case: "uses" as const,
          value: { ref: raw.uses, with: Object.fromEntries(Object.entries(raw.with ?? {}).map(([k, v]) => [k, fromJson(ValueSchema, v)])) },
        }
      : { case: "run" as const, value: { command: raw.run ?? "", shell: raw.shell ?? "" } };
  return create(StepSchema, {
    name: raw.name ?? "",
    id: raw.id ?? "",
    condition: raw.if ?? "",
    env: textMap(raw.env),
    workingDirectory: raw.working_directory ?? "",
    timeoutMinutes: raw.timeout ?? 0,
    continueOnError: raw.continue_on_error ?? false,
    action,
    passthrough: passthrough(raw),
    loc: map.locate(path),
  });
}

/** Both spellings of services, sorted by name like every TOML table; the list form carries names only. */
function toServices(raw: RawJob["services"]): Service[] {
  if (raw === undefined) return [];
  if (Array.isArray(raw)) return [...raw].sort().map((name) => create(ServiceSchema, { name }));
  return Object.keys(raw)
    .sort()
    .map((name) => toService(name, raw[name] as RawService));
}

function toService(name: string, raw: RawService): Service {
  const h = raw.health;
  return create(ServiceSchema, {
    name,
    image: raw.image ?? "",
    env: textMap(raw.env),
    ports: (raw.ports ?? []).map(String),
    ...(h
      ? {
          health: create(HealthCheckSchema, {
            command: h.command,
            intervalSeconds: h.interval ?? 0,
            timeoutSeconds: h.timeout ?? 0,
            retries: h.retries ?? 0,
          }),
        }
      : {}),
    passthrough: passthrough(raw),
  });
}
