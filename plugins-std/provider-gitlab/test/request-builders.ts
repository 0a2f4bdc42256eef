/**
 * Terse builders for hand-written GenerateRequests (generateRequestBuilders
 * in @cig/sdk), bound to target gitlab, every job on {@link LINUX} unless its spec names a runner.
 */
import { generateRequestBuilders, type StepInit } from "@cig/sdk";

/** A runner mapped to GitLab runners tagged `linux`. */
export const LINUX = { name: "linux", providers: { gitlab: { tags: ["linux"] } } };

const builders = generateRequestBuilders({ target: "gitlab", runner: LINUX });
export const { job, variants, run, request } = builders;

/** A `uses` step without inputs. */
export function uses(ref: string, extra: Omit<StepInit, "action"> = {}): StepInit {
  return builders.uses(ref, {}, extra);
}

/** A setup_tool step named `Set up <tool>`. */
export function setup(tool: string, version: string, cache = ""): StepInit {
  return builders.setup(tool, version, cache, { name: `Set up ${tool}` });
}
