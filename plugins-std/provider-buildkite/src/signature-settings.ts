import type { CigSchema } from "@cig/proto";
import { type Json, structToJson } from "@cig/sdk";

// The core fills [signatures] in; these are its documented defaults, for a
// request that lacks it (hand-written requests in tests).
const DEFAULT_COMMAND = "npx --yes @cig/core@0.1.0";
const DEFAULT_STORE_DIR = ".cig/passes";

/** What the skip machinery needs from `[signatures]` and the project (docs/providers/buildkite.md, "Skipping unchanged jobs"). */
export interface SignatureSettings {
  /** `[signatures] command`: how the agents run cig. */
  command: string;
  /** `[signatures] store_dir` without a trailing slash: relative to the checkout, or absolute. */
  storeDir: string;
  /** The `agents` of the project's default runner's buildkite table (a map or a `key=value` list), if it has one. */
  agents: Json | undefined;
}

/** The settings of one request. */
export function signatureSettings(schema: CigSchema | undefined): SignatureSettings {
  const sig = schema?.signatures;
  const storeDir = (sig?.storeDir || DEFAULT_STORE_DIR).replace(/\/+$/, "") || "/";
  const name = schema?.project?.defaultRunner ?? "";
  const runner = name === "" ? undefined : schema?.runners.find((r) => r.name === name);
  const agents = structToJson(runner?.providers.buildkite).agents;
  return { command: sig?.command || DEFAULT_COMMAND, storeDir, agents: agents === null || agents === "" ? undefined : agents };
}
