// When a fault counts as repaired, pure: the instance is whole again (every lock held by a running
// process, the server a child of the manager, a heartbeat answered by the server.lock holder) and
// the fault's own target was dealt with (replaced after a kill, resumed or replaced after SIGSTOP,
// a new server after a graceful restart).
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
}

export interface FaultInProgress {
  readonly kind: FaultKind;
  readonly targets: readonly FaultTarget[];
  /** The server answering before the fault. */
  readonly servedBefore: number | null;
  /** A SIGSTOP's hold is over (SIGCONT sent, or nothing left to continue). */
  readonly holdDone: boolean;
}

const running = (h: HolderView | null): h is HolderView => h !== null && h.state !== 'T' && h.state !== 't' && h.state !== 'Z' && h.state !== 'X';

/** The instance serves and every tier is in place. */
export function isWhole(view: HealthView): boolean {
  const { cop, manager, server } = view.holders;
  return running(cop) && running(manager) && running(server) && server.ppid === manager.pid && view.heartbeatPid === server.pid;
}

/** What is still missing before the fault counts as repaired (empty: repaired). */
export function missingForRecovery(view: HealthView, fault: FaultInProgress): string[] {
  const missing: string[] = [];
  if (!isWhole(view)) missing.push('instance not whole');
  if (fault.kind === 'SIGSTOP' && !fault.holdDone) missing.push('SIGSTOP still held');
  if (replacesTarget(fault.kind)) {
    for (const t of fault.targets) {
      const h = view.holders[t.tier];
      if (h !== null && h.pid === t.pid && h.starttime === t.starttime) missing.push(`${t.tier} ${t.pid} not replaced`);
    }
  }
  if (fault.kind === 'SIGUSR1' && view.heartbeatPid !== null && view.heartbeatPid === fault.servedBefore) missing.push('no new server yet');
  return missing;
}
