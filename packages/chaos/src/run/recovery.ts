// Watching a fault get repaired: poll the lock holders, their /proc state and a heartbeat through the
// listening socket until the recovery rule holds or the bound passes.
import { TIERS, findLockHolder, readStat, type RuntimePaths, type Tier } from '@tripod/core';
import { missingForRecovery, type FaultInProgress, type HealthView, type HolderView } from '../analysis/recovery-rule.js';
import { heartbeat } from './heartbeat.js';

export const RECOVERY_POLL_MS = 50;
export const HEARTBEAT_TIMEOUT_MS = 1000;

export interface HealthContext {
  readonly paths: RuntimePaths;
  readonly host: string;
  readonly port: number;
}

function holderView(path: string): HolderView | null {
  const pid = findLockHolder(path);
  if (pid === null) return null;
  const stat = readStat(pid);
  return stat === null ? null : { pid, starttime: stat.starttime, state: stat.state, ppid: stat.ppid };
}

/** The instance as seen from outside right now. */
export async function observeHealth(ctx: HealthContext): Promise<HealthView> {
  const heartbeatPid = await heartbeat(ctx.host, ctx.port, HEARTBEAT_TIMEOUT_MS);
  const holders = Object.fromEntries(TIERS.map((t) => [t, holderView(ctx.paths.lockFile(t))])) as Record<Tier, HolderView | null>;
  return { holders, heartbeatPid };
}

export interface RecoveryResult {
  readonly recoveredAt: number | null;
  readonly servedAfter: number | null;
  /** What was still missing at the deadline. */
  readonly missing: readonly string[];
}

/** Polls until `fault()` (re-read each round: a SIGSTOP's hold may end meanwhile) is repaired, or `deadline`. */
export async function waitRecovered(ctx: HealthContext, fault: () => FaultInProgress, deadline: number, aborted: () => boolean): Promise<RecoveryResult> {
  let missing: string[] = ['not looked yet'];
  let view: HealthView | null = null;
  while (Date.now() < deadline && !aborted()) {
    view = await observeHealth(ctx);
    missing = missingForRecovery(view, fault());
    if (missing.length === 0) return { recoveredAt: Date.now(), servedAfter: view.heartbeatPid, missing };
    await new Promise((resolve) => setTimeout(resolve, RECOVERY_POLL_MS));
  }
  return { recoveredAt: null, servedAfter: view?.heartbeatPid ?? null, missing };
}
