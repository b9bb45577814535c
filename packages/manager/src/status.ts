// The manager's view of the instance, as the control socket and status.json give it.
// The document's shape is core's wire/manager-status.ts contract.
import { MANAGER_STATUS_VERSION, queueDepths, type ManagerStatus, type PingReply } from '@tripod/core';
import type { ServerRunner } from './runner.js';

/** Builds the status object from the runner's state. */
export function buildStatus(runner: ServerRunner, startedAt: number): ManagerStatus {
  const s = runner.state;
  const { config } = runner;
  return {
    version: MANAGER_STATUS_VERSION,
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
    listeners: queueDepths(config.listen, config.backlog),
    backlog: config.backlog,
  };
}

/** The ping answer, from memory only: no /proc reads on the heartbeat path. */
export function buildPingReply(runner: ServerRunner): PingReply {
  return { pid: process.pid, serverExpected: runner.isServing, serverPid: runner.state.procs.find((p) => p.role === 'serving')?.pid ?? null };
}
