// cop-status.json: the cop's own view (manager starts, kills, heartbeat round trips, reloads), written
// atomically after each check cycle so `tripod status` and metrics can read it without asking anyone.
import { writeJsonAtomic, type LivenessReport } from '@tripod/core';
import type { ServerVerdict, ServerWatch } from './server-liveness.js';

export interface ReloadReport {
  readonly at: number;
  readonly applied: readonly string[];
  readonly needsRestart: readonly string[];
  readonly error: string | null;
}

/** The cop's judgement of the serving server at its last check: progress, overload, stall. */
export interface ServerLivenessView {
  readonly pid: number | null;
  readonly verdict: ServerVerdict;
  /** The server's last liveness report (progress age, loop lag, in-flight requests, oldest in-flight age). */
  readonly liveness: LivenessReport | null;
  /** When the liveness socket last answered, and how long that probe took. */
  readonly lastAnswerAt: number | null;
  readonly livenessMs: number | null;
  /** Heartbeat failures through the port in a row (a service signal: a busy server is not killed for them). */
  readonly heartbeatFailures: number;
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
  server: ServerLivenessView | null;
}

/** The status view of the cop's server watch. */
export function serverView(watch: ServerWatch, livenessMs: number | null): ServerLivenessView | null {
  if (watch.pid === null) return null;
  const liveness = watch.report?.pid === watch.pid ? watch.report : null;
  return { pid: watch.pid, verdict: watch.verdict, liveness, lastAnswerAt: watch.lastAnswerAt, livenessMs, heartbeatFailures: watch.serviceFailures };
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
    server: null,
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
