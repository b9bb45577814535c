// Servers a previous manager left serving: found at start, each drained once our own server of its
// slot is ready (so the manager's death costs no capacity and fails no request).
import type { TripodConfig } from '@tripod/core/config/config';
import { realKillDeps } from '@tripod/core/kill/real-deps';
import { safeKill } from '@tripod/core/kill/safe-kill';
import { findLockHolder } from '@tripod/core/lock/probe';
import type { Log } from '@tripod/core/log/logger';
import { listSlotLocks } from '@tripod/core/pool/slot-locks';
import { identify, type ProcessIdentity } from '@tripod/core/proc/identity';
import { isInstanceTier } from '@tripod/core/proc/scan';

export interface Orphan {
  readonly slot: number;
  readonly who: ProcessIdentity;
}

/** The previous manager's servers, one per slot lock a server of this instance still holds. */
export function findOrphanServers(dir: string, instance: string, log: Log): Orphan[] {
  const found: Orphan[] = [];
  for (const lock of listSlotLocks(dir)) {
    const who = findOrphanServer(lock.path, instance, log);
    if (who !== null) found.push({ slot: lock.slot, who });
  }
  return found;
}

/** The previous manager's server, if one of this instance still holds `lockPath` (it keeps serving for now). */
export function findOrphanServer(lockPath: string, instance: string, log: Log): ProcessIdentity | null {
  const holder = findLockHolder(lockPath);
  if (holder === null) return null;
  const who = identify(holder);
  if (who === null || !isInstanceTier(holder, instance, 'server')) {
    log.warn('server.lock-foreign', { holder, path: lockPath });
    return null;
  }
  log.info('server.orphan', { pid: holder, plan: 'drain it once our server is ready' });
  return who;
}

/** Drains the orphan (SIGTERM: it lets its lock go and finishes its connections), SIGKILL at the bound. */
export async function drainOrphan(who: ProcessIdentity, config: TripodConfig, log: Log): Promise<void> {
  const outcome = await safeKill(
    { ...who, tier: 'server', leadsGroup: true },
    { reason: 'orphan of a previous manager, replaced', coreSignal: null, graceMs: config.drainTimeoutMs, killWaitMs: config.killGraceMs },
    realKillDeps((event, fields) => log.info(event, fields)),
  );
  log.info('server.orphan-drained', { pid: who.pid, outcome });
}
