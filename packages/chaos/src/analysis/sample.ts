// What one look at the instance from outside shows: lock holders and lock-file PIDs, the listening
// socket, the instance's processes (on scan samples), the decoys. Plain data, so checks are pure.
import type { Tier } from '@tripod/core';

/** Where the campaign is: the listening socket is required only while `running`. */
export type Phase = 'starting' | 'running' | 'planned-stop' | 'stopping' | 'stopped';

export interface LockObservation {
  /** PID holding the write lock per /proc/locks, or null. */
  readonly holder: number | null;
  /** PID the lock file says, or null when missing/invalid. */
  readonly filePid: number | null;
  /** The holder is a live process of this instance marked as this tier. */
  readonly holderIsTier: boolean;
  /**
   * The file names a process the holder keeps (exec mode: server.lock names the program, the keeper
   * holds the lock): live, in the holder's process group, marked as this tier of this instance.
   */
  readonly fileNamesKept?: boolean;
}

export interface ProcessObservation {
  readonly pid: number;
  readonly starttime: number;
  readonly tier: Tier;
  /** /proc state letter (Z zombie, T stopped, …). */
  readonly state: string;
  readonly ppid: number;
  /** The parent's state letter, or null when it is gone. */
  readonly parentState: string | null;
  /** The parent is a process of this instance (a tier that must reap it). */
  readonly parentIsInstance: boolean;
  /** The parent is the harness or its subreaper shim (the harness must reap it). */
  readonly parentIsHarness: boolean;
}

export interface DecoyObservation {
  readonly name: string;
  readonly pid: number;
  readonly starttime: number;
  /** Still alive with the same (pid, starttime). */
  readonly alive: boolean;
}

export interface Sample {
  readonly at: number;
  readonly phase: Phase;
  /** The fault in progress, if any (for the violation's attribution). */
  readonly fault: number | null;
  readonly locks: Readonly<Record<Tier, LockObservation>>;
  readonly listening: boolean;
  /** Processes of the instance; null on samples without a /proc scan. */
  readonly processes: readonly ProcessObservation[] | null;
  readonly decoys: readonly DecoyObservation[];
}
