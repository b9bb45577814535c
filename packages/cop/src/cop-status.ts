// cop-status.json: the cop's own view (manager starts, kills, heartbeat round trips, reloads), written
// atomically after each check cycle so `tripod status` and metrics can read it without asking anyone.
// The document's shape is core's wire/cop-status.ts contract; the cop keeps a mutable copy of it.
import { initialCopStatus, writeJsonAtomic, type CopStatus } from '@tripod/core';

export type { ReloadReport } from '@tripod/core';

/** The document as the cop updates it in place. */
export type CopStatusState = { -readonly [K in Exclude<keyof CopStatus, 'kills'>]: CopStatus[K] } & { kills: Record<string, Record<string, number>> };

/** A fresh status for the cop started now. */
export function newCopStatus(now: number): CopStatusState {
  return { ...initialCopStatus(process.pid, now), kills: {} };
}

/** Counts one kill of `tier` for `cause` (a short stable word, e.g. "heartbeat"). */
export function countKill(status: CopStatusState, tier: string, cause: string): void {
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
