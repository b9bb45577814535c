// When a fault counts as over, pure, in two steps: the service is back (a server answers the
// heartbeat through the listening port, not the killed one; a stopped one was released; a graceful
// restart brought a new one), then the instance is repaired (every tier held by a running process,
// the heartbeat answered by the server.lock holder, the server a child of the manager, every killed
// target replaced). A tier in its restart backoff delays the second only.
import type { Tier } from '@tripod/core';
import { replacesTarget, type FaultKind } from '../faults/fault.js';
import type { FaultTarget } from '../report/model.js';

export interface HolderView {
  readonly pid: number;
  readonly starttime: number;
  /** /proc state letter. */
  readonly state: string;
  readonly ppid: number;
}

export interface HealthView {
  readonly holders: Readonly<Record<Tier, HolderView | null>>;
  /** The PID a heartbeat through the listening socket named, or null (no answer). */
  readonly heartbeatPid: number | null;
  /** A pool (--servers N > 1): the holder of each slot lock (slot 0 is `holders.server`), null where free. */
  readonly pool?: { readonly size: number; readonly holders: readonly (HolderView | null)[] };
}

export interface FaultInProgress {
  readonly kind: FaultKind;
  readonly targets: readonly FaultTarget[];
  /** The server answering before the fault. */
  readonly servedBefore: number | null;
  /** A SIGSTOP's hold is over (SIGCONT sent, or nothing left to continue). */
  readonly holdDone: boolean;
}

/** The reason the service is missing when only the heartbeat went unanswered (on a loaded host, one can just be late). */
export const NO_ANSWER = 'no server answering the heartbeat';

const running = (h: HolderView | null): h is HolderView => h !== null && h.state !== 'T' && h.state !== 't' && h.state !== 'Z' && h.state !== 'X';

const absentTier = (tier: string, h: HolderView | null) => (h === null ? `no ${tier}` : `${tier} ${h.pid} stopped`);

/** What keeps a pool from being whole: every slot held by a running child of the manager, the heartbeat answered by one of them. */
function poolMissing(view: HealthView, pool: NonNullable<HealthView['pool']>): string[] {
  const { manager } = view.holders;
  const missing: string[] = [];
  const held = pool.holders.filter(running);
  if (held.length < pool.size) missing.push(`${held.length} of ${pool.size} slots served`);
  if (view.heartbeatPid !== null && !held.some((h) => h.pid === view.heartbeatPid)) missing.push(`heartbeat answered by ${view.heartbeatPid}, no slot lock holder`);
  for (const h of held) if (running(manager) && h.ppid !== manager.pid) missing.push(`server ${h.pid} not a child of manager ${manager.pid}`);
  return missing;
}

/** What keeps the instance from being whole: every tier held by a running process, the heartbeat answered by the server.lock holder (in a pool: every slot), the server a child of the manager. */
export function wholeMissing(view: HealthView): string[] {
  const { cop, manager, server } = view.holders;
  if (view.pool) {
    const missing: string[] = [];
    if (!running(cop)) missing.push(absentTier('cop', view.holders.cop));
    if (!running(manager)) missing.push(absentTier('manager', view.holders.manager));
    return [...missing, ...poolMissing(view, view.pool)];
  }
  const missing: string[] = [];
  const absent = (tier: string, h: HolderView | null) => (h === null ? `no ${tier}` : `${tier} ${h.pid} stopped`);
  if (!running(cop)) missing.push(absent('cop', cop));
  if (!running(manager)) missing.push(absent('manager', manager));
  if (!running(server)) missing.push(absent('server', server));
  else if (view.heartbeatPid !== null && view.heartbeatPid !== server.pid) missing.push(`heartbeat answered by ${view.heartbeatPid}, not by the server.lock holder ${server.pid}`);
  if (running(server) && running(manager) && server.ppid !== manager.pid) missing.push(`server ${server.pid} not a child of manager ${manager.pid}`);
  return missing;
}

/** The instance serves and every tier is in place. */
export function isWhole(view: HealthView): boolean {
  return view.heartbeatPid !== null && wholeMissing(view).length === 0;
}

function sameProcess(h: HolderView | null, t: FaultTarget): boolean {
  return h !== null && h.pid === t.pid && h.starttime === t.starttime;
}

/**
 * What is missing before the service counts as back (empty: back): a running server.lock holder
 * answers the heartbeat, a killed server was replaced, a SIGSTOP's hold is over, a graceful restart
 * brought a new server.
 */
export function missingForService(view: HealthView, fault: FaultInProgress): string[] {
  const missing: string[] = [];
  if (view.heartbeatPid === null) missing.push(NO_ANSWER);
  if (fault.kind === 'SIGSTOP' && !fault.holdDone) missing.push('SIGSTOP still held');
  if (fault.kind === 'overload' && !fault.holdDone) missing.push('overload burst still running');
  if (replacesTarget(fault.kind)) {
    for (const t of fault.targets) if (t.tier === 'server' && view.heartbeatPid === t.pid) missing.push(`server ${t.pid} still answering`);
  }
  if (fault.kind === 'SIGUSR1' && view.heartbeatPid !== null && view.heartbeatPid === fault.servedBefore) missing.push('no new server yet');
  return missing;
}

/** What is missing before the fault counts as repaired (empty: repaired): the service back, every tier in place, every killed target replaced. */
export function missingForRepair(view: HealthView, fault: FaultInProgress): string[] {
  const missing = [...missingForService(view, fault), ...wholeMissing(view)];
  if (replacesTarget(fault.kind)) {
    for (const t of fault.targets) {
      const holds = sameProcess(view.holders[t.tier], t) || (t.tier === 'server' && (view.pool?.holders ?? []).some((h) => sameProcess(h, t)));
      if (holds) missing.push(`${t.tier} ${t.pid} not replaced`);
    }
  }
  return missing;
}
