// The manager's view of the instance, as the control socket and status.json give it.
// The document's shape is core's wire/manager-status.ts contract.
import { serverLockName } from '@tripod/core/pool/slots';
import { cachedQueueDepths } from '@tripod/core/queue';
import type { PingReply } from '@tripod/core/wire/control';
import { MANAGER_STATUS_VERSION, type ManagerStatus, type SlotStatus } from '@tripod/core/wire/manager-status';
import { poolPhaseOf, slotPhaseOf } from './phases.js';
import type { ServerRunner } from './runner.js';

// Status is asked for by any client of the control socket: /proc/net/tcp is read at most once a second.
const readQueues = cachedQueueDepths();

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
    version: MANAGER_STATUS_VERSION,
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
    listeners: readQueues(config.listen, config.backlog),
    backlog: config.backlog,
  };
}

/** The ping answer, from memory only: no /proc reads on the heartbeat path. */
export function buildPingReply(runner: ServerRunner): PingReply {
  return { pid: process.pid, serverExpected: runner.isServing, serverPid: runner.state.procs.find((p) => p.role === 'serving')?.pid ?? null };
}
