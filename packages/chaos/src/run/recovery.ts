// Watching a fault get repaired: poll the lock holders, their /proc state and a heartbeat through the
// listening socket, noting when the service is back and when every tier is, up to a deadline.
import { TIERS, findLockHolder, listSlotLocks, readStat, servingServerPid, waitUntil, type RuntimePaths, type Tier } from '@tripod/core';
import { NO_ANSWER, missingForRepair, missingForService, type FaultInProgress, type HealthView, type HolderView } from '../analysis/recovery-rule.js';

export const RECOVERY_POLL_MS = 50;
export const HEARTBEAT_TIMEOUT_MS = 2000;
/** Unanswered heartbeats in a row that count as the service gone again (one can be late on a loaded host). */
export const OUTAGE_CONFIRMATIONS = 2;

export interface HealthContext {
  readonly paths: RuntimePaths;
  /** Servers in the pool: every slot must be held again. */
  readonly servers?: number;
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
  const heartbeatPid = await servingServerPid(ctx, HEARTBEAT_TIMEOUT_MS, ctx.paths.dir);
  const holders = Object.fromEntries(TIERS.map((t) => [t, holderView(ctx.paths.lockFile(t))])) as Record<Tier, HolderView | null>;
  if ((ctx.servers ?? 1) <= 1) return { holders, heartbeatPid };
  const pool = listSlotLocks(ctx.paths.dir).filter((l) => l.slot < ctx.servers!).map((l) => holderView(l.path));
  return { holders, heartbeatPid, pool: { size: ctx.servers!, holders: pool } };
}

export interface WatchResult {
  /** Since when the service has been back without a break (to the repair or the deadline), or null. */
  readonly recoveredAt: number | null;
  readonly repairedAt: number | null;
  /** When the watch ended (repaired, deadline, or aborted). */
  readonly endedAt: number;
  readonly servedAfter: number | null;
  /** What was still missing when the watch ended without repair. */
  readonly missing: readonly string[];
}

/** Polls until `fault()` (re-read each round: a SIGSTOP's hold may end meanwhile) is repaired, or `deadline`. */
export async function watchFault(ctx: HealthContext, fault: () => FaultInProgress, deadline: number, aborted: () => boolean): Promise<WatchResult> {
  let recoveredAt: number | null = null;
  let missing: string[] = ['not looked yet'];
  let served: number | null = null;
  let unanswered = 0;
  const repaired = await waitUntil(async (): Promise<WatchResult | null> => {
    const view = await observeHealth(ctx);
    const now = Date.now();
    served = view.heartbeatPid;
    const f = fault();
    // The service counts as back from the start of the streak that lasts to the repair: a manager's
    // death may take the server down later (when the cop replaces it), after a first good look. A
    // single unanswered heartbeat does not break the streak; two in a row, or any other reason, do.
    const serviceMissing = missingForService(view, f);
    unanswered = serviceMissing.includes(NO_ANSWER) ? unanswered + 1 : 0;
    if (serviceMissing.length === 0) recoveredAt ??= now;
    else if (serviceMissing.some((m) => m !== NO_ANSWER) || unanswered >= OUTAGE_CONFIRMATIONS) recoveredAt = null;
    missing = missingForRepair(view, f);
    return missing.length === 0 ? { recoveredAt: recoveredAt ?? now, repairedAt: now, endedAt: now, servedAfter: served, missing } : null;
  }, { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: RECOVERY_POLL_MS, aborted });
  return repaired ?? { recoveredAt, repairedAt: null, endedAt: Date.now(), servedAfter: served, missing };
}
