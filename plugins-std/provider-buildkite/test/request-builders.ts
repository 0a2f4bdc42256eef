/**
 * Terse builders for hand-written GenerateRequests (generateRequestBuilders
 * in @cig/sdk), bound to target buildkite, every job on {@link LINUX} unless its spec names a runner.
 */
import { generateRequestBuilders } from "@cig/sdk";

/** A runner mapped to a Buildkite agent queue. */
export const LINUX = { name: "linux", providers: { buildkite: { agents: { queue: "linux" } } } };

export const { job, variants, run, uses, setup, request } = generateRequestBuilders({ target: "buildkite", runner: LINUX });
