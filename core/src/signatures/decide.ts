import picomatch from "picomatch";
import { type ChangeDetails, type ChangeReason, diffComponents } from "./diff-components.js";
import { forcedIds, isForced } from "./force-list.js";
import type { PassStore } from "./pass-store.js";
import type { SignatureResult } from "./signature-types.js";

/** Why a variant runs or is skipped. */
export type DecisionReason =
  | "forced"
  | "never_skip"
  | "not_skippable"
  | "skip_if:branch"
  | "skip_if:env"
  | "unchanged"
  | "never_recorded"
  | ChangeReason
  // Every component equals the last pass's, yet the signature differs: a pass of another stream format.
  | "signature_changed";

/** Details of a decision; field names are those of the `--json` output. */
export interface DecisionDetails extends ChangeDetails {
  // `env` (from ChangeDetails) also serves skip_if:env: the names of the variables that are set.
  /** skip_if:branch: the branch and the glob it matched. */
  branch?: string;
  pattern?: string;
  /** The last recorded pass compared with. */
  last_signature?: string;
  last_recorded_at?: string;
}

/** Whether one variant runs, and why. JSON-ready (snake_case, as `cig compute-signatures --json` prints it). */
export interface Decision {
  variant: string;
  job: string;
  signature: string;
  skippable: boolean;
  should_run: boolean;
  reason: DecisionReason;
  details?: DecisionDetails;
}

/** Inputs of {@link decide}. */
export interface DecideOptions {
  store: PassStore;
  /** The process environment: CIG_FORCE and skip_if.env variables are read from it. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The current branch (see currentBranch); no skip_if.branch glob matches without one. */
  branch?: string | undefined;
  /** A force setting besides CIG_FORCE: true, or a value as CIG_FORCE takes it. */
  force?: boolean | string | undefined;
}

// Values of a skip_if.env variable that do not skip.
const OFF = new Set(["", "0", "false"]);

// Branch names are one string, not paths: `*` matches "/" too, so "dependabot/*" matches
// "dependabot/npm_and_yarn/lodash-4.17.21".
const BRANCH_GLOB = { dot: true, bash: true } as const;

/**
 * Decides per variant, in this order: forced (CIG_FORCE / `force`) → run;
 * not skippable → run (never_skip / not_skippable); a skip_if.branch glob
 * matches the branch → skip; a skip_if.env variable is set to a non-empty
 * value → skip; the store has a pass with this signature → skip
 * (unchanged); else run, with the reason taken from the last recorded pass.
 */
export async function decide(results: readonly SignatureResult[], opts: DecideOptions): Promise<Decision[]> {
  const env = opts.env ?? {};
  const forced = forcedIds(opts.force, env.CIG_FORCE);
  return Promise.all(
    results.map(async (r): Promise<Decision> => {
      const base = { variant: r.variant, job: r.job, signature: r.signature, skippable: r.skippable };
      const run = (reason: DecisionReason, details?: DecisionDetails): Decision => ({
        ...base,
        should_run: true,
        reason,
        ...(details ? { details } : {}),
      });
      const skip = (reason: DecisionReason, details?: DecisionDetails): Decision => ({
        ...base,
        should_run: false,
        reason,
        ...(details ? { details } : {}),
      });
      if (isForced(forced, r.job, r.variant)) return run("forced");
      if (!r.skippable) return run(r.spec.neverSkip ? "never_skip" : "not_skippable");
      const branch = opts.branch;
      const pattern = branch === undefined ? undefined : r.spec.branches.find((g) => picomatch(g, BRANCH_GLOB)(branch));
      if (branch !== undefined && pattern !== undefined) return skip("skip_if:branch", { branch, pattern });
      // "0" and "false" are off, as for CIG_FORCE: `SKIP_TESTS: ${{ inputs.skip }}` renders "false".
      const set = Object.keys(r.components.env).filter((name) => !OFF.has((env[name] ?? "").trim().toLowerCase()));
      if (set.length > 0) return skip("skip_if:env", { env: set });
      if (await opts.store.has(r.variant, r.signature)) return skip("unchanged");
      const last = await opts.store.last(r.variant);
      if (!last) return run("never_recorded");
      const { reason, details } = diffComponents(r.components, last);
      return run(reason ?? "signature_changed", { ...details, last_signature: last.signature, last_recorded_at: last.recorded_at });
    }),
  );
}
