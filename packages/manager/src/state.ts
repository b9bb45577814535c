// The manager's supervision state, events and actions: the vocabulary of supervisor.ts.
import type { Death, RestartPolicy } from '@tripod/core';

export type Role = 'standby' | 'starting' | 'serving' | 'draining';

export interface ServerProc {
  readonly id: number;
  readonly pid: number | null;
  readonly role: Role;
  readonly startedAt: number;
  readonly readyAt: number | null;
  /** Started to replace a serving server; it takes the lock once the old one lets it go. */
  readonly handover: boolean;
  /** We asked it to stop (drain, stop, replaced): its exit is not a crash. */
  readonly stopRequested: boolean;
  /** A standby that has loaded the application and waits for `go`. */
  readonly standbyReady: boolean;
}

export interface LastExit {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: string | null;
  readonly at: number;
  readonly requested: boolean;
}

export interface SupervisorState {
  readonly goal: 'run' | 'stop';
  readonly procs: readonly ServerProc[];
  readonly deaths: readonly Death[];
  readonly backoffUntil: number | null;
  readonly stayDown: 'no-restart-code' | null;
  readonly restarts: number;
  readonly consecutiveCrashes: number;
  readonly lastExit: LastExit | null;
  /** Server exits counted by cause: `requested`, `signal:SIGKILL`, `code:1`, … */
  readonly exitsByCause: Readonly<Record<string, number>>;
  readonly nextId: number;
}

export type SupervisorEvent =
  | { readonly type: 'start' }
  | { readonly type: 'stop'; readonly graceful: boolean }
  | { readonly type: 'restart' }
  | { readonly type: 'spawned'; readonly id: number; readonly pid: number }
  | { readonly type: 'spawn-failed'; readonly id: number; readonly error: string }
  | { readonly type: 'ready'; readonly pid: number }
  | { readonly type: 'standby-ready'; readonly pid: number }
  | { readonly type: 'exited'; readonly pid: number; readonly code: number | null; readonly signal: string | null }
  | { readonly type: 'timer'; readonly name: string };

export type Action =
  | { readonly type: 'spawn'; readonly id: number; readonly handover: boolean; readonly standby: boolean }
  /** Tell a ready standby to listen now. */
  | { readonly type: 'promote'; readonly pid: number }
  | { readonly type: 'signal'; readonly pid: number; readonly signal: 'SIGTERM' | 'SIGKILL'; readonly group: boolean }
  | { readonly type: 'arm'; readonly name: string; readonly ms: number }
  | { readonly type: 'cancel'; readonly name: string }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly event: string; readonly fields: Record<string, unknown> }
  | { readonly type: 'all-stopped' };

export interface DecideContext {
  readonly now: number;
  /** A number in [0, 1) for the backoff jitter. */
  readonly random: number;
  readonly launchTimeoutMs: number;
  readonly drainTimeoutMs: number;
  readonly killGraceMs: number;
  readonly policy: RestartPolicy;
  /** Keep a warm standby server. */
  readonly standby: boolean;
}

export interface Decision {
  readonly state: SupervisorState;
  readonly actions: readonly Action[];
}

export const INITIAL_STATE: SupervisorState = Object.freeze({
  goal: 'stop',
  procs: [],
  deaths: [],
  backoffUntil: null,
  stayDown: null,
  restarts: 0,
  consecutiveCrashes: 0,
  lastExit: null,
  exitsByCause: {},
  nextId: 1,
});
