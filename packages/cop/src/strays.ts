// Killing tiers of this instance: identity by environment + (pid, starttime), never by name.
import { identify, isInstanceTier, readStat, realKillDeps, safeKill, scanInstance, sendSignal, withoutKept, type Log, type SafeKillOutcome, type Tier } from '@tripod/core';

export interface KillSettings {
  readonly instance: string;
  readonly coreSignal: NodeJS.Signals | null;
  readonly killGraceMs: number;
  readonly log: Log;
}

/** Safe-kills `pid` if, and only if, it is a live `tier` process of this instance. */
export async function killTier(pid: number, tier: Tier, reason: string, graceMs: number, s: KillSettings, coreSignal: NodeJS.Signals | null = null, skipTerm = false): Promise<SafeKillOutcome | 'not-ours'> {
  const who = identify(pid);
  if (who === null) return 'already-gone';
  if (!isInstanceTier(pid, s.instance, tier)) {
    s.log.error('kill.refused', { pid, tier, reason, why: 'not a process of this instance' });
    return 'not-ours';
  }
  const stat = readStat(pid);
  // A stopped process cannot act on SIGTERM; let it run so it can drain.
  if (stat?.state === 'T' && !skipTerm) sendSignal(pid, 'SIGCONT');
  return safeKill(
    { ...who, tier, leadsGroup: stat?.pgrp === pid },
    { reason, coreSignal, graceMs, killWaitMs: s.killGraceMs, skipTerm },
    realKillDeps((event, fields) => s.log.warn(event, fields)),
  );
}

/**
 * The instance's manager and server processes other than `keep` (the lock holders we trust). A process in
 * the group of another server process (exec mode's program, in its keeper's group, and the program's own
 * children) is part of that server: killing the group leader's group reaches it.
 */
export function findStrays(instance: string, keep: ReadonlySet<number> = new Set()): { pid: number; tier: Tier }[] {
  return withoutKept(scanInstance(instance))
    .filter((p) => p.tier !== 'cop' && !keep.has(p.pid) && p.state !== 'Z')
    .map((p) => ({ pid: p.pid, tier: p.tier }));
}
