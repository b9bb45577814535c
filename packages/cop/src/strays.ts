// Killing tiers of this instance: identity by environment + (pid, starttime), never by name. What to do
// with each stray is stray-triage.ts's decision; this file carries it out.
import { realKillDeps } from '@tripod/core/kill/real-deps';
import { safeKill, type SafeKillOutcome } from '@tripod/core/kill/safe-kill';
import { sendSignal } from '@tripod/core/kill/signal';
import type { Log } from '@tripod/core/log/logger';
import type { Tier } from '@tripod/core/paths';
import { identify } from '@tripod/core/proc/identity';
import { readStat } from '@tripod/core/proc/read';
import { isInstanceTier, scanInstance, withoutKept } from '@tripod/core/proc/scan';
import { triageStray, type Stray, type TriageContext } from './stray-triage.js';

export interface KillSettings {
  readonly instance: string;
  readonly killGraceMs: number;
  readonly log: Log;
}

/** Reasons for which a kill is the plan, not a repair: logged at info. */
const PLANNED_REASONS = new Set(['instance stop']);

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
    { reason, coreSignal, graceMs, killWaitMs: s.killGraceMs, skipTerm, planned: PLANNED_REASONS.has(reason) },
    realKillDeps((event, fields, level) => s.log[level](event, fields)),
  );
}

/**
 * The instance's manager and server processes other than `keep` (the lock holders we trust). A process in
 * the group of another server process (exec mode's program, in its keeper's group, and the program's own
 * children) is part of that server: killing the group leader's group reaches it.
 */
export function findStrays(instance: string, keep: ReadonlySet<number> = new Set()): Stray[] {
  return withoutKept(scanInstance(instance))
    .filter((p) => p.tier !== 'cop' && !keep.has(p.pid) && p.state !== 'Z')
    .map((p) => ({ pid: p.pid, tier: p.tier }));
}

/**
 * Finds the strays and carries out each one's plan; `onKill` hears of each counted kill. Background
 * drains are tracked in `draining` (left out of later scans until they end).
 */
export async function clearStrays(ctx: Omit<TriageContext, 'serverHolders'> & { serverHolders?: readonly number[] }, s: KillSettings, draining: Set<number> = new Set(), onKill: (tier: Tier) => void = () => undefined): Promise<void> {
  for (const stray of findStrays(s.instance, draining)) {
    const plan = triageStray(stray, { ...ctx, serverHolders: ctx.serverHolders ?? [] });
    if (plan.action === 'leave') {
      s.log.info(plan.event, { pid: stray.pid });
    } else if (plan.action === 'drain') {
      draining.add(stray.pid);
      onKill(stray.tier);
      s.log.info('stray.drain', { pid: stray.pid });
      void killTier(stray.pid, stray.tier, plan.reason, plan.graceMs, s).finally(() => draining.delete(stray.pid));
    } else {
      const outcome = await killTier(stray.pid, stray.tier, plan.reason, plan.graceMs, s);
      if (plan.counted) onKill(stray.tier);
      s.log.info('stray.killed', { pid: stray.pid, tier: stray.tier, outcome });
    }
  }
}
