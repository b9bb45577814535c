// cop-status.json: the cop's own view (manager starts, kills, heartbeat round trips, reloads), written
// atomically after each check cycle so `tripod status` and metrics can read it without asking anyone.
import { writeJsonAtomic } from '@tripod/core';

export interface ReloadReport {
  readonly at: number;
  readonly applied: readonly string[];
  readonly needsRestart: readonly string[];
  readonly error: string | null;
}

export interface CopStatus {
  readonly cop: { readonly pid: number; readonly startedAt: number };
  managerStarts: number;
  managerRestarts: number;
  kills: Record<string, Record<string, number>>;
  lastPing: { ms: number; at: number } | null;
  lastServerProbe: { ms: number; at: number } | null;
  firstReadyAt: number | null;
  lastReload: ReloadReport | null;
  managerLastExit: { pid: number | null; code: number | null; signal: string | null; at: number } | null;
  /** When the cop will start the next manager after a crash loop, or null. */
  managerBackoffUntil: number | null;
  /** A lock held by something that is not a tier of this instance (the cop starts nothing against it). */
  foreignLock: { tier: string; holder: string; since: number } | null;
}

/** A fresh status for the cop started now. */
export function newCopStatus(now: number): CopStatus {
  return {
    cop: { pid: process.pid, startedAt: now },
    managerStarts: 0,
    managerRestarts: 0,
    kills: {},
    lastPing: null,
    lastServerProbe: null,
    firstReadyAt: null,
    lastReload: null,
    managerLastExit: null,
    managerBackoffUntil: null,
    foreignLock: null,
  };
}

/** Counts one kill of `tier` for `cause` (a short stable word, e.g. "heartbeat"). */
export function countKill(status: CopStatus, tier: string, cause: string): void {
  const byCause = (status.kills[tier] ??= {});
  byCause[cause] = (byCause[cause] ?? 0) + 1;
}

/** Writes the status file; never throws (a full disk must not stop the check loop). */
export function writeCopStatus(path: string, status: CopStatus): string | null {
  try {
    writeJsonAtomic(path, status);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
