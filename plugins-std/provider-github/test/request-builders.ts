/**
 * Terse builders for hand-written GenerateRequests (generateRequestBuilders
 * in @cig/sdk), bound to target github, every job on {@link LINUX} unless its spec names a runner.
 */
import { generateRequestBuilders } from "@cig/sdk";

/** A runner mapped to GitHub's `ubuntu-latest`. */
export const LINUX = { name: "linux", providers: { github: { "runs-on": "ubuntu-latest" } } };

export const { job, variants, run, uses, setup, request } = generateRequestBuilders({ target: "github", runner: LINUX });
