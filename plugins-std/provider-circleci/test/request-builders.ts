/**
 * Terse builders for hand-written GenerateRequests (generateRequestBuilders
 * in @cig/sdk), bound to target circleci, every job on {@link LINUX} unless its spec names a runner.
 */
import { generateRequestBuilders } from "@cig/sdk";

/** A runner mapped to CircleCI's medium resource class (cig's default image). */
export const LINUX = { name: "linux", providers: { circleci: { resource_class: "medium" } } };

export const { job, variants, run, uses, setup, request } = generateRequestBuilders({ target: "circleci", runner: LINUX });
