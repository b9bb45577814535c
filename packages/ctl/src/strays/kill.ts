// Killing strays: safe-kill each one only while it is the same process (pid, starttime) and still a
// tier of this instance by its environment.
import { isInstanceTier, isStillAlive, realKillDeps, safeKill, type InstanceProcess, type SafeKillOutcome } from '@tripod/core';

export interface StrayKill {
  readonly pid: number;
  readonly tier: string;
  readonly outcome: SafeKillOutcome | 'not-ours';
}

/** SIGTERM, wait `graceMs`, then SIGKILL (its group when it leads one); verified before every signal. */
export async function killStray(p: InstanceProcess, instance: string, graceMs: number): Promise<StrayKill> {
  if (!isStillAlive(p)) return { pid: p.pid, tier: p.tier, outcome: 'already-gone' };
  if (!isInstanceTier(p.pid, instance, p.tier)) return { pid: p.pid, tier: p.tier, outcome: 'not-ours' };
  const deps = realKillDeps(() => undefined);
  const verified = { ...deps, isStillAlive: (who: { pid: number; starttime: number }) => deps.isStillAlive(who) && isInstanceTier(who.pid, instance, p.tier) };
  const outcome = await safeKill(
    { pid: p.pid, starttime: p.starttime, tier: p.tier, leadsGroup: p.pgrp === p.pid },
    { reason: 'tripod strays --kill', coreSignal: null, graceMs, killWaitMs: 2000 },
    verified,
  );
  return { pid: p.pid, tier: p.tier, outcome };
}
