// Choosing a fault's targets from the lock holders, verifying each is a tier of this instance, and
// sending the signal; a SIGSTOP is held, then SIGCONT if the process is still the same one.
import { findLockHolder, findSlotHolders, identify, isInstanceTier, isStillAlive, readStat, sendSignal, type RuntimePaths } from '@tripod/core';
import { tiersOf, type FaultKind, type FaultTier } from '../faults/fault.js';
import type { FaultTarget } from '../report/model.js';

export interface TargetContext {
  readonly paths: RuntimePaths;
  readonly instance: string;
  isOurCop(pid: number): boolean;
  /** Picks one of `n` (a server fault's slot in a pool); default Math.random. */
  readonly pick?: (n: number) => number;
}

/** The server a fault hits: in a pool, the holder of a random slot lock; else server.lock's. */
function serverTarget(ctx: TargetContext): number | null {
  const holders = findSlotHolders(ctx.paths.dir);
  if (holders.length === 0) return null;
  const pick = ctx.pick ?? ((n: number) => Math.floor(Math.random() * n));
  return holders[Math.min(holders.length - 1, pick(holders.length))]!.pid;
}

/** The verified targets of a fault on `tier`, or why there are none. */
export function resolveTargets(tier: FaultTier, ctx: TargetContext): { targets: FaultTarget[] } | { reason: string } {
  const targets: FaultTarget[] = [];
  for (const t of tiersOf(tier)) {
    const holder = t === 'server' ? serverTarget(ctx) : findLockHolder(ctx.paths.lockFile(t));
    if (holder === null) return { reason: t === 'server' ? 'no server slot lock is held' : `${t}.lock is free` };
    const who = identify(holder);
    if (who === null) return { reason: `${t}.lock holder ${holder} is gone` };
    if (!isInstanceTier(holder, ctx.instance, t) && !(t === 'cop' && ctx.isOurCop(holder))) {
      return { reason: `${t}.lock holder ${holder} is not a ${t} of this instance` };
    }
    const state = readStat(holder)?.state;
    if (state === 'T' || state === 't') return { reason: `${t} ${holder} is stopped already` };
    targets.push({ tier: t, pid: who.pid, starttime: who.starttime });
  }
  return { targets };
}

/** Sends `kind` to each target that is still the same process; returns those it reached. */
export function sendFault(kind: Exclude<FaultKind, 'overload'>, targets: readonly FaultTarget[]): FaultTarget[] {
  const reached: FaultTarget[] = [];
  for (const t of targets) {
    if (!isStillAlive(t)) continue;
    if (sendSignal(t.pid, kind)) reached.push(t);
  }
  return reached;
}

/** After `holdMs`, SIGCONT to every target still the same process (a watchdog may have replaced it). */
export async function holdThenContinue(targets: readonly FaultTarget[], holdMs: number): Promise<FaultTarget[]> {
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  const continued: FaultTarget[] = [];
  for (const t of targets) if (isStillAlive(t) && sendSignal(t.pid, 'SIGCONT')) continued.push(t);
  return continued;
}
