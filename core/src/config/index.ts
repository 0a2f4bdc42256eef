/**
 * Loading and checking cig.toml: the public surface of core/src/config.
 * The format is documented in docs/cig-toml.md; its JSON Schema is
 * core/schema/cig.schema.json.
 */
export type { ConfigCode, ConfigProblem } from "./config-codes.js";
export { CONFIG_CODES, configDiagnostic, isError } from "./config-codes.js";
export { didYouMean, editDistance } from "./did-you-mean.js";
export type { DocPath } from "./document-path.js";
export { formatPath } from "./document-path.js";
export type { FormatOptions } from "./format-diagnostic.js";
export { formatDiagnostic } from "./format-diagnostic.js";
export type { ConfigResult } from "./load-config.js";
export { loadConfig } from "./load-config.js";
export { CIG_SCHEMA_PATH, cigSchema } from "./schema-validator.js";
export { DEFAULT_OUTPUT } from "./to-cig-schema.js";
export { CONFIG_VERSION } from "./version-check.js";
