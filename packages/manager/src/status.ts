// The manager's view of the instance, as the control socket and status.json give it.
import { cachedQueueDepths, type QueueDepth } from '@tripod/core';

// Status is asked for by any client of the control socket: /proc/net/tcp is read at most once a second.
const readQueues = cachedQueueDepths();
import type { DrainReport, Outage, ServerRunner } from './runner.js';
import type { LastExit, Role } from './supervisor.js';

export interface ServerStatus {
  readonly pid: number | null;
  readonly role: Role;
  readonly startedAt: number;
  readonly readyAt: number | null;
  readonly handover: boolean;
  /** A standby that has loaded the application and can take over at once. */
  readonly standbyReady: boolean;
}

export interface ManagerStatus {
  readonly manager: { readonly pid: number; readonly startedAt: number };
  readonly writtenAt: number;
  readonly goal: 'run' | 'stop';
  /** True when a server should be holding server.lock right now (the cop checks this). */
  readonly serverExpected: boolean;
  readonly servers: readonly ServerStatus[];
  readonly restarts: number;
  readonly consecutiveCrashes: number;
  readonly backoffUntil: number | null;
  readonly stayDown: string | null;
  readonly lastExit: LastExit | null;
  readonly exitsByCause: Readonly<Record<string, number>>;
  readonly lastDrain: DrainReport | null;
  readonly lastOutage: Outage | null;
  readonly listeners: readonly QueueDepth[];
  readonly backlog: number;
}

/** Builds the status object from the runner's state. */
export function buildStatus(runner: ServerRunner, startedAt: number): ManagerStatus {
  const s = runner.state;
  const { config } = runner;
  return {
    manager: { pid: process.pid, startedAt },
    writtenAt: Date.now(),
    goal: s.goal,
    serverExpected: runner.isServing,
    servers: s.procs.map((p) => ({ pid: p.pid, role: p.role, startedAt: p.startedAt, readyAt: p.readyAt, handover: p.handover, standbyReady: p.standbyReady })),
    restarts: s.restarts,
    consecutiveCrashes: s.consecutiveCrashes,
    backoffUntil: s.backoffUntil,
    stayDown: s.stayDown,
    lastExit: s.lastExit,
    exitsByCause: s.exitsByCause,
    lastDrain: runner.lastDrain,
    lastOutage: runner.lastOutage,
    listeners: readQueues(config.listen, config.backlog),
    backlog: config.backlog,
  };
}
