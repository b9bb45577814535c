// The manager's supervision state, events and actions: the vocabulary of supervisor.ts.
// A pool of `size` slots, each served by one server; one warm standby serves the whole pool.
import type { Death, RestartPolicy } from '@tripod/core/policy/restart-policy';

export type Role = 'standby' | 'starting' | 'serving' | 'draining';

export interface ServerProc {
  readonly id: number;
  readonly pid: number | null;
  readonly role: Role;
  /** The slot it serves (or starts for, or drains from); null for the standby until it is promoted. */
  readonly slot: number | null;
  readonly startedAt: number;
  readonly readyAt: number | null;
  /** Started to replace a server of its slot that still serves; it takes the slot's lock once the old one lets it go. */
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

/** One slot's restart record: its own death tally, backoff and crash-loop state. */
export interface SlotState {
  readonly slot: number;
  readonly deaths: readonly Death[];
  readonly backoffUntil: number | null;
  readonly stayDown: 'no-restart-code' | null;
  readonly restarts: number;
  readonly consecutiveCrashes: number;
  readonly lastExit: LastExit | null;
  /** Times a server of this slot was replaced for going over the memory limit. */
  readonly memoryReplacements: number;
}

/** A rolling restart under way: the slots still to replace. */
export interface Rolling {
  readonly pending: readonly number[];
}

export interface SupervisorState {
  readonly goal: 'run' | 'stop';
  /** Slots the pool should serve: 0 … size − 1. */
  readonly size: number;
  readonly slots: readonly SlotState[];
  readonly procs: readonly ServerProc[];
  readonly rolling: Rolling | null;
  /** No standby starts before this time (ms): the servers a rolling restart just started are settling. */
  readonly standbyNotBefore: number | null;
  /** Crash restarts over every slot. */
  readonly restarts: number;
  readonly lastExit: LastExit | null;
  /** Server exits counted by cause: `requested`, `signal:SIGKILL`, `code:1`, … */
  readonly exitsByCause: Readonly<Record<string, number>>;
  readonly nextId: number;
}

export type SupervisorEvent =
  /** Run the pool (at `size` slots when given, else as it was, at least one). */
  | { readonly type: 'start'; readonly size?: number }
  | { readonly type: 'stop'; readonly graceful: boolean }
  /** Rolling graceful restart of every slot, and a fresh standby. */
  | { readonly type: 'restart' }
  | { readonly type: 'scale'; readonly size: number }
  | { readonly type: 'spawned'; readonly id: number; readonly pid: number }
  | { readonly type: 'spawn-failed'; readonly id: number; readonly error: string }
  | { readonly type: 'ready'; readonly pid: number }
  | { readonly type: 'standby-ready'; readonly pid: number }
  | { readonly type: 'exited'; readonly pid: number; readonly code: number | null; readonly signal: string | null }
  /** A server's RSS stayed over the memory limit for the configured window. */
  | { readonly type: 'over-memory'; readonly pid: number; readonly rss: number }
  /** The cop judged this server wedged and is about to kill it: its successor first. */
  | { readonly type: 'wedged'; readonly pid: number; readonly reason: string }
  | { readonly type: 'timer'; readonly name: string };

export type Action =
  | { readonly type: 'spawn'; readonly id: number; readonly slot: number | null; readonly handover: boolean; readonly standby: boolean }
  /** Tell a ready standby to listen now, serving `slot`. */
  | { readonly type: 'promote'; readonly pid: number; readonly slot: number }
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
  /** Slots a rolling restart replaces at a time. */
  readonly restartBatch: number;
  /** A server that served at least this long before it died is replaced at once, whatever came before. */
  readonly minUptimeMs: number;
  /** After a rolling restart, the fresh standby boots this long after the last successor became ready. */
  readonly standbySettleMs: number;
}

export interface Decision {
  readonly state: SupervisorState;
  readonly actions: readonly Action[];
}

export const INITIAL_STATE: SupervisorState = Object.freeze({
  goal: 'stop',
  size: 1,
  slots: [],
  procs: [],
  rolling: null,
  standbyNotBefore: null,
  restarts: 0,
  lastExit: null,
  exitsByCause: {},
  nextId: 1,
});

/** A slot's record before its first server. */
export function freshSlot(slot: number): SlotState {
  return { slot, deaths: [], backoffUntil: null, stayDown: null, restarts: 0, consecutiveCrashes: 0, lastExit: null, memoryReplacements: 0 };
}
