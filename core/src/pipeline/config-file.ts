import { readFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { CigError } from "../errors/cig-error.js";
import type { PipelineOptions } from "./pipeline-types.js";

/** The cig.toml a run reads: --config / CIG_CONFIG (relative to the working directory) or `cig.toml`. */
export function resolveConfigPath(opts: PipelineOptions): string {
  const p = opts.configPath ?? "cig.toml";
  return isAbsolute(p) ? p : join(opts.cwd, p);
}

/** The text of cig.toml, or CIG_CONFIG_NOT_FOUND naming `cig init`. */
export function readConfig(file: string, cwd: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new CigError(
      "CIG_CONFIG_NOT_FOUND",
      `no cig.toml at ${relative(cwd, file) || file}`,
      "Run `cig init` to create one, or point --config / CIG_CONFIG at it.",
    );
  }
}
