// Attributing each failed request to the fault in progress and judging it: expected (the fault may
// cause it), planned-stop (inside a planned stop), or a violation naming the invariant it breaks.
import { groupBy } from './group.js';
import { expectedFailures, isPlannedStop, type FaultKind, type FaultTier } from '../faults/fault.js';
import type { ConnectionMode } from '../load/client.js';
import type { Outcome } from '../load/outcome.js';
import type { InvariantName, Violation } from './invariant-names.js';

/** A fault's window: from its injection to its recovery (Infinity when it never recovered). */
export interface FaultWindow {
  readonly index: number;
  readonly tier: FaultTier;
  readonly kind: FaultKind;
  readonly from: number;
  readonly to: number;
}

export interface Failure {
  /** Wall-clock ms when the request started. */
  readonly at: number;
  readonly ms: number;
  readonly outcome: Exclude<Outcome, 'ok'>;
  readonly mode: ConnectionMode;
  readonly error: string | null;
}

export type Verdict = 'expected' | 'planned-stop' | 'violation';

export interface JudgedFailure extends Failure {
  readonly fault: number | null;
  readonly verdict: Verdict;
  readonly invariant: InvariantName | null;
}

/** Slack around a window: a reset is noticed a moment after the kill, a stale socket a moment after recovery. */
export const ATTRIBUTION_SLACK_MS = 500;

/**
 * The fault a failure belongs to: the latest window holding the moment it failed; else the window
 * nearest that moment within `slackMs`, or one the request's lifetime overlaps (a request started
 * in a window that failed later), nearest first.
 */
export function attributeFailure(failure: Failure, windows: readonly FaultWindow[], slackMs = ATTRIBUTION_SLACK_MS): FaultWindow | null {
  const start = failure.at;
  const end = failure.at + failure.ms;
  let best: FaultWindow | null = null;
  for (const w of windows) if (w.from <= end && end <= w.to && (best === null || w.from > best.from)) best = w;
  if (best !== null) return best;
  const distance = (w: FaultWindow) => (end < w.from ? w.from - end : end - w.to);
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const w of windows) {
    const d = distance(w);
    if (d > slackMs && !(w.from <= end && start <= w.to)) continue;
    if (d < bestDistance || (d === bestDistance && best !== null && w.from > best.from)) {
      best = w;
      bestDistance = d;
    }
  }
  return best;
}

/** Judges one failure against the fault windows. */
export function judgeFailure(failure: Failure, windows: readonly FaultWindow[], slackMs = ATTRIBUTION_SLACK_MS): JudgedFailure {
  const window = attributeFailure(failure, windows, slackMs);
  const fault = window?.index ?? null;
  if (window !== null && isPlannedStop(window) && expectedFailures(window).includes(failure.outcome)) {
    return { ...failure, fault, verdict: 'planned-stop', invariant: null };
  }
  if (failure.outcome === 'refused') return { ...failure, fault, verdict: 'violation', invariant: 'no-refused-connection' };
  if (window !== null && expectedFailures(window).includes(failure.outcome)) return { ...failure, fault, verdict: 'expected', invariant: null };
  return { ...failure, fault, verdict: 'violation', invariant: 'no-failed-request' };
}

/** Why a violating failure breaks its invariant, for people. */
export function describeJudged(f: JudgedFailure, windows: readonly FaultWindow[]): string {
  const window = windows.find((w) => w.index === f.fault);
  const where = window ? `during fault #${window.index} (${window.tier} ${window.kind})` : 'with no fault in progress';
  const what = f.outcome === 'refused' ? 'connection refused' : `${f.outcome}${f.error ? ` (${f.error})` : ''}`;
  return `${f.mode} request at ${new Date(f.at).toISOString()} failed: ${what} ${where}`;
}

/** The violating failures folded into one violation per (invariant, fault): counts, first and last. */
export function failureViolations(judged: readonly JudgedFailure[], windows: readonly FaultWindow[]): Violation[] {
  return groupBy(judged, (f) => (f.verdict !== 'violation' || f.invariant === null ? null : `${f.invariant}|${f.fault ?? '-'}`))
    .map((group) => {
      const first = group[0]!;
      const classes = new Map<string, number>();
      for (const f of group) classes.set(f.outcome, (classes.get(f.outcome) ?? 0) + 1);
      const counts = [...classes].map(([c, n]) => `${n} ${c}`).join(', ');
      return {
        invariant: first.invariant!,
        at: first.at,
        fault: first.fault,
        message: `${group.length} failed request(s) (${counts}); first: ${describeJudged(first, windows)}`,
      };
    })
    .sort((a, b) => a.at - b.at);
}
