// The manager's view of the instance, as the control socket and status.json give it.
import { queueDepths, serverLockName, type QueueDepth } from '@tripod/core';
import { poolPhaseOf, slotPhaseOf, type Phase, type PoolPhase } from './phases.js';
import type { DrainReport, Outage, ServerRunner } from './runner.js';
import type { LastExit, Role } from './supervisor.js';

export interface ServerStatus {
  readonly pid: number | null;
  readonly role: Role;
  /** The slot it serves, starts for or drains from; null for the standby. */
  readonly slot: number | null;
  readonly startedAt: number;
  readonly readyAt: number | null;
  readonly handover: boolean;
  /** A standby that has loaded the application and can take over at once. */
  readonly standbyReady: boolean;
}

/** One slot of the pool: its named state, its server and its own restart record. */
export interface SlotStatus {
  readonly slot: number;
  readonly phase: Phase;
  /** The lock file its server holds (in the runtime directory). */
  readonly lock: string;
  /** The serving server's PID, or null. */
  readonly pid: number | null;
  readonly readyAt: number | null;
  readonly restarts: number;
  readonly consecutiveCrashes: number;
  readonly backoffUntil: number | null;
  readonly stayDown: string | null;
  readonly lastExit: LastExit | null;
  readonly memoryReplacements: number;
}

export interface ManagerStatus {
  readonly manager: { readonly pid: number; readonly startedAt: number };
  readonly writtenAt: number;
  readonly goal: 'run' | 'stop';
  /** True when a server should be holding a slot lock right now (the cop checks this). */
  readonly serverExpected: boolean;
  /** The pool: its size, its named state, one row per slot. */
  readonly size: number;
  readonly phase: PoolPhase;
  readonly slots: readonly SlotStatus[];
  readonly rollingRestart: { readonly pending: readonly number[] } | null;
  readonly servers: readonly ServerStatus[];
  readonly restarts: number;
  /** The longest crash run of any slot. */
  readonly consecutiveCrashes: number;
  /** When nothing serves: the earliest end of a slot's backoff. */
  readonly backoffUntil: number | null;
  /** Set when every slot gave up. */
  readonly stayDown: string | null;
  readonly lastExit: LastExit | null;
  readonly exitsByCause: Readonly<Record<string, number>>;
  readonly memoryReplacements: number;
  readonly lastDrain: DrainReport | null;
  readonly lastOutage: Outage | null;
  readonly listeners: readonly QueueDepth[];
  readonly backlog: number;
}

/** Builds the status object from the runner's state. */
export function buildStatus(runner: ServerRunner, startedAt: number): ManagerStatus {
  const s = runner.state;
  const { config } = runner;
  const slots: SlotStatus[] = s.slots.map((slot) => {
    const serving = s.procs.find((p) => p.slot === slot.slot && p.role === 'serving') ?? null;
    return {
      slot: slot.slot,
      phase: slotPhaseOf(s, slot.slot),
      lock: serverLockName(slot.slot),
      pid: serving?.pid ?? null,
      readyAt: serving?.readyAt ?? null,
      restarts: slot.restarts,
      consecutiveCrashes: slot.consecutiveCrashes,
      backoffUntil: slot.backoffUntil,
      stayDown: slot.stayDown,
      lastExit: slot.lastExit,
      memoryReplacements: slot.memoryReplacements,
    };
  });
  const backoffs = slots.map((x) => x.backoffUntil).filter((x): x is number => x !== null);
  return {
    manager: { pid: process.pid, startedAt },
    writtenAt: Date.now(),
    goal: s.goal,
    serverExpected: runner.isServing,
    size: s.size,
    phase: poolPhaseOf(s),
    slots,
    rollingRestart: s.rolling,
    servers: s.procs.map((p) => ({ pid: p.pid, role: p.role, slot: p.slot, startedAt: p.startedAt, readyAt: p.readyAt, handover: p.handover, standbyReady: p.standbyReady })),
    restarts: s.restarts,
    consecutiveCrashes: Math.max(0, ...slots.map((x) => x.consecutiveCrashes)),
    backoffUntil: !runner.isServing && backoffs.length > 0 ? Math.min(...backoffs) : null,
    stayDown: slots.length > 0 && slots.every((x) => x.stayDown !== null) ? slots[0]!.stayDown : null,
    lastExit: s.lastExit,
    exitsByCause: s.exitsByCause,
    memoryReplacements: slots.reduce((n, x) => n + x.memoryReplacements, 0),
    lastDrain: runner.lastDrain,
    lastOutage: runner.lastOutage,
    listeners: queueDepths(config.listen, config.backlog),
    backlog: config.backlog,
  };
}
