import type { Diagnostic } from "@cig/proto";
import { CORE_VERSION } from "../version.js";
import { configDiagnostic } from "./config-codes.js";
import type { PlainTable } from "./parse-toml.js";
import type { SourceMap } from "./source-map.js";

/** The cig.toml format version this core reads. */
export const CONFIG_VERSION = "0.2";

/** The version problems of a document, and whether checking further would only add noise. */
export interface VersionCheck {
  diagnostics: Diagnostic[];
  /** A file from a newer cig: its other "problems" are most likely features this cig lacks. */
  stop: boolean;
}

/**
 * Checks `version`. A missing, mistyped or older version is reported and the
 * rest of the file is still checked; a newer one stops the checks, because
 * upgrading cig is the fix and unknown keys would only bury that.
 */
export function checkVersion(data: PlainTable, map: SourceMap, file: string): VersionCheck {
  const version = data.version;
  const loc = map.locate(["version"]);
  const hint = `Set version = "${CONFIG_VERSION}".`;
  if (version === undefined) {
    return one(false, `${file} has no version`, `Add version = "${CONFIG_VERSION}" as the first line of ${file}.`, map.locate([]));
  }
  if (typeof version !== "string") {
    const raw = map.raw(["version"]) ?? String(version);
    return one(false, `version must be the string "${CONFIG_VERSION}", got ${raw}`, `Quote it: version = "${CONFIG_VERSION}".`, loc);
  }
  if (version === CONFIG_VERSION) return { diagnostics: [], stop: false };
  const order = compareVersions(version, CONFIG_VERSION);
  if (order === undefined) {
    return one(false, `version "${version}" is not a cig.toml format version`, hint, loc);
  }
  if (order === 0) return one(false, `version must be written "${CONFIG_VERSION}", got "${version}"`, hint, loc);
  if (order > 0) {
    return one(
      true,
      `version "${version}" is newer than this cig reads`,
      `Upgrade cig to one that reads version "${version}", or set version = "${CONFIG_VERSION}" if the file uses only ${CONFIG_VERSION} features.`,
      loc,
      `cig ${CORE_VERSION} reads cig.toml version "${CONFIG_VERSION}"; this file says "${version}". Other checks were skipped.`,
    );
  }
  return one(
    false,
    `version "${version}" is no longer supported`,
    `Update the file to format ${CONFIG_VERSION} (see docs/cig-toml.md) and set version = "${CONFIG_VERSION}".`,
    loc,
    `cig ${CORE_VERSION} reads cig.toml version "${CONFIG_VERSION}" only; this file says "${version}".`,
  );
}

function one(stop: boolean, title: string, hint: string, loc: Diagnostic["loc"], message?: string): VersionCheck {
  return { stop, diagnostics: [configDiagnostic({ code: "CIG_CONFIG_VERSION", title, hint, loc, ...(message ? { message } : {}) })] };
}

/** Orders "major.minor" strings; undefined when one is not such a version. */
function compareVersions(a: string, b: string): number | undefined {
  const parse = (v: string) => (/^\d+(\.\d+){0,2}$/.test(v) ? v.split(".").map(Number) : undefined);
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
