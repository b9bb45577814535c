// Servers a previous manager left serving: found at start, drained once our own server is ready.
import { findLockHolder, identify, isInstanceTier, realKillDeps, safeKill, type Log, type ProcessIdentity, type TripodConfig } from '@tripod/core';

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
