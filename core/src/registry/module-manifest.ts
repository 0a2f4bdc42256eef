import semver from "semver";
import type { DocPath } from "../config/document-path.js";
import { formatPath } from "../config/document-path.js";
import { type PlainTable, type PlainValue, parseToml } from "../config/parse-toml.js";
import { SourceMap } from "../config/source-map.js";
import { CigError } from "../errors/cig-error.js";
import { addressProblem } from "./plugin-address.js";

/** The type of one module input, as `[inputs]` declares it. */
export type InputType = "string" | "integer" | "number" | "boolean" | "array" | "table";
const INPUT_TYPES: readonly InputType[] = ["string", "integer", "number", "boolean", "array", "table"];

/** One declared input of a module. */
export interface ModuleInput {
  type: InputType;
  default?: PlainValue;
  optional: boolean;
  description?: string;
}

/** A parsed, checked `module.toml` (docs/registry.md#moduletoml). */
export interface ModuleManifest {
  name: string;
  version: string;
  /** Relative path of the executable; absent only for std plugins, whose package names it. */
  entrypoint?: string;
  protocols: number[];
  capabilities: string[];
  capabilitiesRequired: string[];
  /** Addresses of the modules this one composes (`lang/ruby@~1.0`). */
  requires: string[];
  /**
   * What `cig publish` packs, as globs relative to the plugin directory (module.toml is always
   * packed); absent means the whole directory. Keeps sources and node_modules out of archives.
   */
  include?: string[];
  description: string;
  inputs: Record<string, ModuleInput>;
  /** Whether module.toml has an `[inputs]` table: only then are `with` keys checked against it. */
  inputsDeclared: boolean;
  provides: { packages: string[]; services: string[]; facts: string[]; inputs: string[] };
}

/** The type `value` has, in the vocabulary of `[inputs]`. */
export function inputTypeOf(value: PlainValue): InputType {
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "table";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value as "string" | "boolean";
}

/** Does `value` fit `type`? An integer is also a number. */
export function fitsInputType(value: PlainValue, type: InputType): boolean {
  const actual = inputTypeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

/**
 * Parses and checks a module.toml. Every problem is collected; the error
 * (CIG_MODULE_MANIFEST_INVALID) lists each with its `file:line:col`.
 * `requireEntrypoint` is set for published plugins, which must name their executable.
 */
export function parseModuleManifest(text: string, file: string, opts: { requireEntrypoint?: boolean } = {}): ModuleManifest {
  const parsed = parseToml(text, file);
  if (!parsed.ok) {
    const loc = parsed.diagnostic.loc;
    throw invalid(file, [`${loc ? `${file}:${loc.line}:${loc.column}: ` : ""}${parsed.diagnostic.title}`]);
  }
  const map = SourceMap.build(text, file);
  const problems: string[] = [];
  const at = (path: DocPath, msg: string) => {
    const loc = map.locate(path);
    problems.push(`${file}:${loc.line}:${loc.column}: ${formatPath(path)}: ${msg}`);
  };
  const data = parsed.data;
  const table = (v: PlainValue | undefined): PlainTable | undefined =>
    v !== undefined && typeof v === "object" && !Array.isArray(v) ? v : undefined;
  const mod = table(data.module);
  if (!mod) {
    throw invalid(file, [`${file}:1:1: missing the [module] table (name, version, entrypoint)`]);
  }
  const str = (path: DocPath, v: PlainValue | undefined, required: boolean): string => {
    if (v === undefined) {
      if (required) at(path.slice(0, -1), `missing "${String(path[path.length - 1])}"`);
      return "";
    }
    if (typeof v !== "string" || v === "") at(path, "must be a non-empty string");
    return typeof v === "string" ? v : "";
  };
  const strings = (path: DocPath, v: PlainValue | undefined): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      at(path, "must be an array of strings");
      return [];
    }
    return v as string[];
  };
  const name = str(["module", "name"], mod.name, true);
  if (name && (name.includes("@") || addressProblem(name) || name.split("/").length !== 2))
    at(["module", "name"], `"${name}" must be namespace/name in lower case`);
  const version = str(["module", "version"], mod.version, true);
  if (version && semver.valid(version) !== version) at(["module", "version"], `"${version}" is not a semver version like 1.2.3`);
  const entrypoint = str(["module", "entrypoint"], mod.entrypoint, opts.requireEntrypoint ?? false);
  if (entrypoint && (entrypoint.startsWith("/") || entrypoint.split(/[\\/]/).includes("..")))
    at(["module", "entrypoint"], "must be a path inside the plugin directory");
  let protocols = [1];
  if (mod.protocols !== undefined) {
    if (!Array.isArray(mod.protocols) || mod.protocols.length === 0 || mod.protocols.some((p) => !Number.isInteger(p) || (p as number) < 1))
      at(["module", "protocols"], "must be a non-empty array of protocol versions, e.g. [1]");
    else protocols = [...new Set(mod.protocols as number[])].sort((a, b) => a - b);
  }
  const requires = strings(["module", "requires"], mod.requires);
  const include = mod.include === undefined ? undefined : strings(["module", "include"], mod.include);
  include?.forEach((g, i) => {
    if (g.startsWith("/") || g.split("/").includes("..")) at(["module", "include", i], "must be a glob inside the plugin directory");
  });
  requires.forEach((r, i) => {
    const p = addressProblem(r);
    if (p) at(["module", "requires", i], p);
  });
  const inputs: Record<string, ModuleInput> = {};
  for (const [key, spec] of Object.entries(table(data.inputs) ?? {})) {
    const t = table(spec);
    const path = ["inputs", key];
    if (!t) {
      at(path, 'must be a table: { type = "string", default = "…" }');
      continue;
    }
    const type = t.type;
    if (typeof type !== "string" || !INPUT_TYPES.includes(type as InputType)) {
      at([...path, "type"], `must be one of ${INPUT_TYPES.join(", ")}`);
      continue;
    }
    if (t.optional !== undefined && typeof t.optional !== "boolean") at([...path, "optional"], "must be true or false");
    if (t.default !== undefined && !fitsInputType(t.default, type as InputType))
      at([...path, "default"], `is ${inputTypeOf(t.default)}, but the input is ${type}`);
    inputs[key] = {
      type: type as InputType,
      optional: t.optional === true,
      ...(t.default !== undefined ? { default: t.default } : {}),
      ...(typeof t.description === "string" ? { description: t.description } : {}),
    };
  }
  const provides = table(data.provides) ?? {};
  const manifest: ModuleManifest = {
    name,
    version,
    ...(entrypoint ? { entrypoint } : {}),
    protocols,
    capabilities: strings(["module", "capabilities"], mod.capabilities),
    capabilitiesRequired: strings(["module", "capabilities_required"], mod.capabilities_required),
    requires,
    ...(include ? { include } : {}),
    description: typeof mod.description === "string" ? mod.description : "",
    inputs,
    inputsDeclared: table(data.inputs) !== undefined,
    provides: {
      packages: strings(["provides", "packages"], provides.packages),
      services: strings(["provides", "services"], provides.services),
      facts: strings(["provides", "facts"], provides.facts),
      inputs: strings(["provides", "inputs"], provides.inputs),
    },
  };
  if (problems.length > 0) throw invalid(file, problems);
  return manifest;
}

function invalid(file: string, problems: string[]): CigError {
  return new CigError(
    "CIG_MODULE_MANIFEST_INVALID",
    `${file} is not a valid module manifest:\n  ${problems.join("\n  ")}`,
    "Fix module.toml as docs/registry.md#moduletoml describes.",
    problems[0] ? { location: problems[0].split(": ")[0] as string } : {},
  );
}
