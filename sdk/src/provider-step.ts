import type { Step } from "@cig/proto";
import { deepMerge } from "./json-merge.js";
import { type JsonMap, structToJson } from "./json-value.js";

// A module may contribute a platform-native replacement for one of its steps
// (`provider_overrides`: "on GitHub, use this action instead"). Every provider
// renders the override in place of the step, the same way, so that one
// cig.toml behaves alike everywhere.

/** How a step's and its override's provider tables combine; {@link deepMerge} unless a provider says otherwise. */
export type MergeTables = (step: JsonMap, override: JsonMap) => JsonMap;

/**
 * The step as `provider` should see it: its override for `provider`, if any,
 * laid over it. The override supplies the action; fields it leaves empty
 * (name, id, if, working directory, timeout, continue-on-error) keep the
 * original's, env maps merge with the override winning, and the two
 * `passthrough[provider]` tables merge with `mergeTables` (keys sorted, as
 * Structs have no order). So a user's name/if/env on the step survive a
 * module's native replacement.
 */
export function effectiveStep(step: Step, provider: string, mergeTables: MergeTables = deepMerge): Step {
  const override = step.providerOverrides.find((o) => o.provider === provider)?.step;
  if (!override) return step;
  return {
    ...override,
    name: override.name || step.name,
    id: override.id || step.id,
    condition: override.condition || step.condition,
    env: { ...step.env, ...override.env },
    workingDirectory: override.workingDirectory || step.workingDirectory,
    timeoutMinutes: override.timeoutMinutes || step.timeoutMinutes,
    continueOnError: override.continueOnError || step.continueOnError,
    passthrough: {
      ...step.passthrough,
      [provider]: mergeTables(structToJson(step.passthrough[provider]), structToJson(override.passthrough[provider])),
    },
  };
}

// A cig module reference: no "@", or a version that is a semver range
// ("~1.2", "^2.0", ">=1.1", "1.x", "*") rather than a git ref.
const MODULE_VERSION = /[~^<>=*\s|]|(^|\.)[xX](\.|$)/;

/**
 * True when a `uses` ref names a cig module (which the core must have
 * expanded before generate) rather than a platform action: no `@version`,
 * or a version that is a semver range. Local (`./…`) and `docker://` refs
 * are never modules.
 */
export function isModuleRef(ref: string): boolean {
  if (ref.startsWith("./") || ref.startsWith("docker://")) return false;
  const at = ref.lastIndexOf("@");
  return at < 0 || MODULE_VERSION.test(ref.slice(at + 1));
}
