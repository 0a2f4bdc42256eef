import { create } from "@bufbuild/protobuf";
import { ListValueSchema, StructSchema, type Value, ValueSchema } from "@bufbuild/protobuf/wkt";
import type { Service, SourceLocation, Step } from "@cig/proto";
import { canonicalStructMap, sortedRecord } from "./canonical-json.js";
import { type InterpolationScope, interpolate, type UnknownReference } from "./interpolate.js";

/** A cig.toml document path, as the config locator takes it: ["jobs", "test", "steps", 0, "run"]. */
export type DocumentPath = (string | number)[];

/**
 * Receives each unresolved reference with the document path of the string it
 * was in and the nearest location known without a locator (the step's).
 */
export type UnknownReporter = (ref: UnknownReference, path: DocumentPath, fallback: SourceLocation | undefined) => void;

/**
 * Interpolates the strings of one job's parts — step names, run commands,
 * `with` values (recursively), env values, working directories, tool
 * versions, provider overrides, services' image and env — into fresh
 * messages whose maps are in canonical key order. Conditions, `uses`
 * references and passthrough tables are provider syntax and stay as written.
 */
export class JobInterpolator {
  /**
   * @param fallback where to report an unknown reference when the locator
   *   does not know the string's path (a step's own `loc` wins inside steps)
   */
  constructor(
    private readonly scope: InterpolationScope,
    private readonly report: UnknownReporter,
    private fallback?: SourceLocation | undefined,
  ) {}

  /** One string; unknown references are reported at `path` and left in place. */
  text(text: string, path: DocumentPath): string {
    const result = interpolate(text, this.scope);
    for (const ref of result.unknown) this.report(ref, path, this.fallback);
    return result.text;
  }

  /** A string map (env): keys sorted, values interpolated. */
  record(record: Readonly<Record<string, string>>, path: DocumentPath): Record<string, string> {
    return sortedRecord(record, (value, key) => this.text(value, [...path, key]));
  }

  /** A list of strings (cache key parts, inputs). */
  list(items: readonly string[], path: DocumentPath): string[] {
    return items.map((item, i) => this.text(item, [...path, i]));
  }

  /** A step with everything interpolated; `path` is its place in cig.toml. */
  step(step: Step, path: DocumentPath): Step {
    const outer = this.fallback;
    this.fallback = step.loc ?? outer;
    try {
      // New objects for what changes; the rest (ids, locations, cache and checkout
      // actions) is shared with the schema, which nothing changes after loading.
      // A deep clone per step was a third of building a 5,000-variant graph.
      return {
        ...step,
        name: this.text(step.name, [...path, "name"]),
        env: this.record(step.env, [...path, "env"]),
        workingDirectory: this.text(step.workingDirectory, [...path, "working_directory"]),
        passthrough: canonicalStructMap(step.passthrough),
        action: this.action(step.action, path),
        providerOverrides: step.providerOverrides.map((override, i) =>
          override.step ? { ...override, step: this.step(override.step, [...path, "provider_overrides", i, "step"]) } : override,
        ),
      };
    } finally {
      this.fallback = outer;
    }
  }

  private action(action: Step["action"], path: DocumentPath): Step["action"] {
    switch (action.case) {
      case "run":
        return { case: "run", value: { ...action.value, command: this.text(action.value.command, [...path, "run"]) } };
      case "uses":
        return {
          case: "uses",
          value: { ...action.value, with: sortedRecord(action.value.with, (v, k) => this.value(v, [...path, "with", k])) },
        };
      case "setupTool":
        return { case: "setupTool", value: { ...action.value, version: this.text(action.value.version, [...path, "version"]) } };
      default:
        return action;
    }
  }

  /** A `with` value: strings interpolated, structs' keys sorted, lists in order. */
  value(value: Value, path: DocumentPath): Value {
    const kind = value.kind;
    switch (kind.case) {
      case "stringValue":
        return create(ValueSchema, { kind: { case: "stringValue", value: this.text(kind.value, path) } });
      case "structValue": {
        const fields = sortedRecord(kind.value.fields, (v, k) => this.value(v, [...path, k]));
        return create(ValueSchema, { kind: { case: "structValue", value: create(StructSchema, { fields }) } });
      }
      case "listValue": {
        const values = kind.value.values.map((v, i) => this.value(v, [...path, i]));
        return create(ValueSchema, { kind: { case: "listValue", value: create(ListValueSchema, { values }) } });
      }
      default:
        return value;
    }
  }

  /** A job's service container: image and env interpolated. */
  service(service: Service, path: DocumentPath): Service {
    return {
      ...service,
      image: this.text(service.image, [...path, "image"]),
      env: this.record(service.env, [...path, "env"]),
      passthrough: canonicalStructMap(service.passthrough),
    };
  }
}
