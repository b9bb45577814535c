// Putting a campaign's parts together into the report, pure: fault windows, judged failures, the
// violations of every kind in time order, the summary.
import { failureViolations, judgeFailure, type Failure, type FaultWindow } from '../analysis/attribution.js';
import { BUCKET_FIELDS, type BucketRow } from '../analysis/buckets.js';
import type { Violation } from '../analysis/invariant-names.js';
import { summarize } from '../analysis/summary.js';
import type { ChaosReport, FaultRecord } from './model.js';

/** What the campaign hands over: the report's own fields, plus the raw material the report is built from. */
export type CampaignParts = Pick<ChaosReport, 'options' | 'seed' | 'startedAt' | 'readyAt' | 'endedAt' | 'instance' | 'schedule' | 'faults' | 'copRuns' | 'events' | 'failuresDropped' | 'samples' | 'notes'> & {
  /** When the load stopped (the end of the measured span). */
  readonly loadEndedAt: number;
  /** Violations found by the samples and the after-stop check. */
  readonly sampleViolations: readonly Violation[];
  readonly failures: readonly Failure[];
  readonly bucketOrigin: number;
  readonly bucketMs: number;
  readonly rows: readonly BucketRow[];
};

/** The window of each injected fault; an unrecovered one lasts to the end. */
export function faultWindows(faults: readonly FaultRecord[]): FaultWindow[] {
  return faults
    .filter((f) => f.injectedAt !== null)
    .map((f) => ({ index: f.index, tier: f.tier, kind: f.kind, from: f.injectedAt!, to: f.endedAt ?? Number.POSITIVE_INFINITY }));
}

/** Faults whose service or repair missed its bound, as violations. */
export function recoveryViolations(faults: readonly FaultRecord[], bounds: { readonly recoveryMs: number; readonly repairMs: number }): Violation[] {
  const secs = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  return faults
    .filter((f) => f.outcome === 'not-recovered' || f.outcome === 'not-repaired')
    .map((f) => {
      const what = f.outcome === 'not-recovered'
        ? `no server answered the heartbeat within ${secs(bounds.recoveryMs)}${f.recoveryMs !== null ? ` (it did after ${secs(f.recoveryMs)})` : ''}`
        : `the tiers were not all back within ${secs(bounds.repairMs)}`;
      return { invariant: 'fault-recovered' as const, at: f.injectedAt!, fault: f.index, message: `fault #${f.index} (${f.tier} ${f.kind}): ${what}${f.note ? `; ${f.note}` : ''}` };
    });
}

/** Overload faults after which another server answered: overload killed a server (issue 13). */
export function overloadViolations(faults: readonly FaultRecord[]): Violation[] {
  return faults
    .filter((f) => f.kind === 'overload' && f.injectedAt !== null && f.servedBefore !== null && f.servedAfter !== f.servedBefore)
    .map((f) => ({
      invariant: 'overload-no-kill' as const, at: f.injectedAt!, fault: f.index,
      message: `fault #${f.index} (server overload, ${f.holdMs} ms): server ${f.servedBefore} served before, ${f.servedAfter ?? 'none'} after`,
    }));
}

/** Builds the report. */
export function assembleReport(parts: CampaignParts, bounds: { readonly recoveryMs: number; readonly repairMs: number }): ChaosReport {
  const windows = faultWindows(parts.faults);
  const judged = parts.failures.map((f) => judgeFailure(f, windows));
  const violations = [...parts.sampleViolations, ...failureViolations(judged, windows), ...recoveryViolations(parts.faults, bounds), ...overloadViolations(parts.faults)].sort((a, b) => a.at - b.at);
  const durationMs = parts.readyAt === null ? 0 : parts.loadEndedAt - parts.readyAt;
  const summary = summarize({ durationMs, planned: parts.schedule.length, faults: parts.faults, rows: parts.rows, failures: judged, violations });
  return {
    tool: 'tripod-chaos',
    formatVersion: 1,
    options: parts.options,
    seed: parts.seed,
    startedAt: parts.startedAt,
    readyAt: parts.readyAt,
    endedAt: parts.endedAt,
    instance: parts.instance,
    schedule: parts.schedule,
    faults: parts.faults,
    copRuns: parts.copRuns,
    events: parts.events,
    violations,
    failures: judged,
    failuresDropped: parts.failuresDropped,
    buckets: { origin: parts.bucketOrigin, bucketMs: parts.bucketMs, fields: BUCKET_FIELDS, rows: parts.rows },
    samples: parts.samples,
    notes: parts.notes,
    summary,
  };
}
