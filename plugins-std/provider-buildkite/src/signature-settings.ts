import type { CigSchema } from "@cig/proto";
import { type Json, signatureSettings as sdkSettings, structToJson } from "@cig/sdk";

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
  const { command, storeDir } = sdkSettings(schema);
  const name = schema?.project?.defaultRunner ?? "";
  const runner = name === "" ? undefined : schema?.runners.find((r) => r.name === name);
  const agents = structToJson(runner?.providers.buildkite).agents;
  return { command, storeDir, agents: agents === null || agents === "" ? undefined : agents };
}
