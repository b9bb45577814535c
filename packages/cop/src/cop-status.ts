// cop-status.json: the cop's own view (manager starts, kills, heartbeat round trips, reloads), written
// atomically after each check cycle so `tripod status` and metrics can read it without asking anyone.
// The document's shape is core's wire/cop-status.ts contract; the cop keeps a mutable copy of it.
import type { ProbeResult } from '@tripod/core/heartbeat';
import { writeJsonAtomic } from '@tripod/core/status-file';
import { initialCopStatus, type CopStatus, type ServerLivenessView, type SlotLivenessView } from '@tripod/core/wire/cop-status';
import type { LivenessReport } from '@tripod/core/wire/liveness';
import type { CheckState } from './check-policy.js';
import type { ServerWatch } from './server-liveness.js';

export type { ReloadReport } from '@tripod/core/wire/cop-status';

/** The document as the cop updates it in place. */
export type CopStatusState = { -readonly [K in Exclude<keyof CopStatus, 'kills'>]: CopStatus[K] } & { kills: Record<string, Record<string, number>> };

/** A fresh status for the cop started now. */
export function newCopStatus(now: number): CopStatusState {
  return { ...initialCopStatus(process.pid, now), kills: {}, slots: [], foreignLock: null };
}

/** The status view of the cop's server watch. */
export function serverView(watch: ServerWatch, livenessMs: number | null): ServerLivenessView | null {
  if (watch.pid === null) return null;
  const liveness = watch.report?.pid === watch.pid ? watch.report : null;
  return { pid: watch.pid, verdict: watch.verdict, liveness, lastAnswerAt: watch.lastAnswerAt, livenessMs, heartbeatFailures: watch.serviceFailures };
}

/** Each slot lock holder's verdict, by slot; `probes` are this check's liveness answers in the holders' order. */
export function slotViews(holders: readonly { slot: number; pid: number }[], state: CheckState, probes: readonly (ProbeResult<LivenessReport> | null)[]): SlotLivenessView[] {
  const views: SlotLivenessView[] = [];
  holders.forEach((h, i) => {
    const watch = state.server.pid === h.pid ? state.server : state.others.find((w) => w.pid === h.pid);
    const view = watch ? serverView(watch, probes[i]?.ms ?? null) : null;
    if (view !== null) views.push({ slot: h.slot, ...view });
  });
  return views;
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
