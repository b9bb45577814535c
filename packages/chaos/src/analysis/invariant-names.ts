// The invariants of DESIGN.md as the harness checks them from outside the tiers: stable names (they
// appear in the report and the exit message) and what each one means.

export const INVARIANTS = {
  'one-holder-per-tier': 'invariant 1: each lock is held by a live process of the instance of that tier, and the lock file names it',
  'no-refused-connection': 'invariant 2: no connection is refused after the first server is ready (outside a planned stop)',
  'listening-socket': 'invariant 2: the listening socket is in LISTEN state at every sample after the first ready (outside a planned stop)',
  'no-failed-request': 'invariant 2: no request fails except those a killed process had already accepted; a graceful restart fails none',
  'no-lingering-zombie': 'invariant 3: no zombie of the instance is left unreaped by its parent for a second or more',
  'no-stray-after-stop': 'invariant 3: after the stop no process of the instance is left and every lock is free',
  'only-our-own': 'invariant 4: processes outside the instance (another instance, a look-alike) survive untouched',
  'overload-no-kill': 'issue 13: a burst of expensive requests (overload) kills no server: the one serving before it serves after it',
  'fault-recovered': 'invariant 5: every fault is repaired within its bound (a server answering the heartbeat again)',
} as const;

export type InvariantName = keyof typeof INVARIANTS;

/** One observed breach of an invariant. */
export interface Violation {
  readonly invariant: InvariantName;
  /** Wall-clock ms when it was observed. */
  readonly at: number;
  readonly message: string;
  /** The fault in progress when it was observed, if any. */
  readonly fault: number | null;
}
