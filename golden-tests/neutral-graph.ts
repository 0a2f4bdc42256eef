/**
 * The neutral job graph the semantic equivalence test compares: what a
 * provider's output means, independent of its syntax. Each provider's
 * `test/parse-<provider>.ts` reads its rendered file back into this shape
 * without using the provider's own code; the equivalence test builds the
 * expected one from `cig plan --json` and asserts they are equal.
 */
export interface NeutralJob {
  /** The variant id without `job:` ("test-ruby3.2-amd64"). */
  id: string;
  /** Variant ids this job waits for, sorted by code unit. */
  needs: string[];
  /**
   * The shell commands of the job's `run` steps (user and module ones), in
   * order, matrix placeholders bound to this variant's values. Commands the
   * provider adds itself (checkout, tool setup, cache plumbing) are not here.
   */
  commands: string[];
  /** This variant's matrix values ({} without a matrix). */
  matrix: Record<string, string>;
  /** Service container images, sorted. */
  services: string[];
  /** The job's portable condition (`formatCondition`), or "" when it always runs. */
  condition: string;
}

/** A provider's whole output as neutral jobs, sorted by id. */
export type NeutralGraph = NeutralJob[];
