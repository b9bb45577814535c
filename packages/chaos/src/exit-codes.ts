// tripod-chaos's exit codes (documented in docs/chaos.md).
export const CHAOS_EXIT = {
  /** Every invariant held. */
  OK: 0,
  /** At least one invariant was violated; the output names it. */
  VIOLATION: 1,
  /** Bad command line. */
  USAGE: 2,
  /** The campaign could not run: the instance never became ready, or the harness itself failed. */
  NOT_RUN: 3,
} as const;
