import type { CigSchema, Dependency, Diagnostic, Resource, SkipDecisions } from "@cig/proto";
import type { MergedFile } from "../output/merge-fragments.js";
import type { OutputChange } from "../output/plan-outputs.js";
import type { HostOptions } from "../plugin-host/plugin-host.js";
import type { ModuleManifest } from "../registry/module-manifest.js";
import type { Contributions } from "./attach-contributions.js";
import type { ModuleProvides } from "./select-plugins.js";

/** Inputs of one pipeline run. */
export interface PipelineOptions {
  /** Repository root: detection and outputs are relative to it. */
  cwd: string;
  /** Path of cig.toml (absolute or relative to cwd); default `cig.toml`. */
  configPath?: string;
  /** Only generate for these providers ("github", ...); default every [[outputs]] provider. */
  providers?: readonly string[];
  host?: HostOptions;
  /** Std plugin name → executable. */
  stdPlugins: ReadonlyMap<string, string>;
  /**
   * Std module name → its manifest's `[provides]`, to start only the modules
   * cig.toml uses. Without it (or for a module not in it), every std module starts.
   */
  stdModules?: ReadonlyMap<string, ModuleProvides>;
  /** Module id → its manifest, to check `uses` steps' `with` against `[inputs]`. */
  moduleManifests?: ReadonlyMap<string, ModuleManifest>;
  /** "plan": stop after the plan phase, starting modules only (no providers, nothing generated). */
  stopAfter?: "plan";
  /**
   * Called after plan with the planned graph; what it returns is sent to the
   * providers as run-time skip decisions (`cig compute-signatures --render`).
   */
  decide?: (planned: PipelineResult) => Promise<SkipDecisions>;
  /** Progress events for live CLI output. */
  onEvent?: (event: PipelineEvent) => void;
}

/** What the CLI shows as the run goes (the seed's "Detecting project... ✓ Ruby 3.3.0"). */
export type PipelineEvent =
  | { phase: "detect"; plugin: string; summary: string; confidence: number }
  | { phase: "resolve"; plugin: string; version: string }
  | { phase: "plan"; job: string; variants: number; runner: string }
  | { phase: "generate"; path: string; lines: number };

/** Everything a run learned; commands print the parts they need. */
export interface PipelineResult {
  configFile: string;
  schema?: CigSchema;
  plugins: Array<{ name: string; version: string }>;
  detections: Array<{ plugin: string; signals: string[]; facts: Record<string, string>; confidence: number }>;
  facts: Record<string, string>;
  graph: Resource[];
  /** The graph's edges and those modules proposed; built on first read (read-only once planned). */
  deps: Dependency[];
  contributions: Contributions;
  files: MergedFile[];
  changes: OutputChange[];
  /** Every diagnostic of every phase, core and plugins alike. */
  diagnostics: Diagnostic[];
  /** True when an ERROR diagnostic stopped the run before outputs. */
  failed: boolean;
}
