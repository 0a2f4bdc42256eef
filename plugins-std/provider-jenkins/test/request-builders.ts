/**
 * Terse builders for hand-written GenerateRequests (generateRequestBuilders
 * in @cig/sdk), bound to target jenkins; jobs have no runner unless their spec names one.
 */
import { generateRequestBuilders } from "@cig/sdk";

/** A runner mapped to the Jenkins agent label `linux`. */
export const LINUX = { name: "linux", providers: { jenkins: { label: "linux" } } };

export const { job, variants, run, uses, setup, request } = generateRequestBuilders({ target: "jenkins" });
