// The campaign's summary: faults by tier × kind with recovery times, requests and failures by class,
// violations by invariant. Pure over the report's raw parts.
import { groupBy } from './group.js';
import type { FaultKind, FaultTier } from '../faults/fault.js';
import { OUTCOMES, type Outcome } from '../load/outcome.js';
import type { FaultRecord } from '../report/model.js';
import type { JudgedFailure } from './attribution.js';
import { parseBucketRow, type BucketRow } from './buckets.js';
import type { InvariantName, Violation } from './invariant-names.js';
import { spread, type Spread } from './statistics.js';

export type FailureClass = Exclude<Outcome, 'ok'>;
export const FAILURE_CLASSES = OUTCOMES.filter((o): o is FailureClass => o !== 'ok');

export interface TierKindRow {
  readonly tier: FaultTier;
  readonly kind: FaultKind;
  readonly injected: number;
  readonly recovered: number;
  readonly notRecovered: number;
  readonly notRepaired: number;
  readonly skipped: number;
  /** Until the service was back. */
  readonly recovery: Spread;
  /** Until every tier was back. */
  readonly repair: Spread;
}

export interface ClassRow {
  /** Every request of the class (from the buckets). */
  readonly total: number;
  readonly expected: number;
  readonly plannedStop: number;
  readonly violation: number;
}

export interface Summary {
  readonly verdict: 'pass' | 'fail';
  readonly durationMs: number;
  readonly requests: { readonly total: number; readonly byOutcome: Readonly<Record<Outcome, number>>; readonly perSecond: number };
  readonly faults: {
    readonly planned: number;
    readonly injected: number;
    readonly recovered: number;
    readonly notRecovered: number;
    readonly notRepaired: number;
    readonly skipped: number;
    readonly byTierKind: readonly TierKindRow[];
  };
  /** Time until the service was back, of every fault where it came back, ms. */
  readonly recovery: Spread;
  /** Time until every tier was back, of every repaired fault, ms. */
  readonly repair: Spread;
  readonly failures: Readonly<Record<FailureClass, ClassRow>>;
  readonly violations: { readonly total: number; readonly byInvariant: Readonly<Partial<Record<InvariantName, number>>> };
}

export interface SummaryInput {
  readonly durationMs: number;
  readonly planned: number;
  readonly faults: readonly FaultRecord[];
  readonly rows: readonly BucketRow[];
  readonly failures: readonly JudgedFailure[];
  readonly violations: readonly Violation[];
}

function tierKindRows(faults: readonly FaultRecord[]): TierKindRow[] {
  return groupBy(faults, (f) => `${f.tier} ${f.kind}`)
    .map((group) => {
      const first = group[0]!;
      const recovered = group.filter((f) => f.recoveryMs !== null);
      const repaired = group.filter((f) => f.repairMs !== null);
      return {
        tier: first.tier,
        kind: first.kind,
        injected: group.filter((f) => f.outcome !== 'skipped').length,
        recovered: group.filter((f) => f.outcome === 'recovered').length,
        notRecovered: group.filter((f) => f.outcome === 'not-recovered').length,
        notRepaired: group.filter((f) => f.outcome === 'not-repaired').length,
        skipped: group.filter((f) => f.outcome === 'skipped').length,
        recovery: spread(recovered.map((f) => f.recoveryMs!)),
        repair: spread(repaired.map((f) => f.repairMs!)),
      };
    })
    .sort((a, b) => a.tier.localeCompare(b.tier) || a.kind.localeCompare(b.kind));
}

/** Builds the summary. */
export function summarize(input: SummaryInput): Summary {
  const byOutcome = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const row of input.rows) {
    const b = parseBucketRow(row);
    for (const o of OUTCOMES) byOutcome[o] += b.counts[o];
  }
  const total = OUTCOMES.reduce((s, o) => s + byOutcome[o], 0);
  const failures = Object.fromEntries(
    FAILURE_CLASSES.map((c) => {
      const judged = input.failures.filter((f) => f.outcome === c);
      const row: ClassRow = {
        total: byOutcome[c],
        expected: judged.filter((f) => f.verdict === 'expected').length,
        plannedStop: judged.filter((f) => f.verdict === 'planned-stop').length,
        violation: judged.filter((f) => f.verdict === 'violation').length,
      };
      return [c, row];
    }),
  ) as Record<FailureClass, ClassRow>;
  const byInvariant: Partial<Record<InvariantName, number>> = {};
  for (const v of input.violations) byInvariant[v.invariant] = (byInvariant[v.invariant] ?? 0) + 1;

  return {
    verdict: input.violations.length > 0 ? 'fail' : 'pass',
    durationMs: input.durationMs,
    requests: { total, byOutcome, perSecond: input.durationMs > 0 ? Math.round((total / input.durationMs) * 10_000) / 10 : 0 },
    faults: {
      planned: input.planned,
      injected: input.faults.filter((f) => f.outcome !== 'skipped').length,
      recovered: input.faults.filter((f) => f.outcome === 'recovered').length,
      notRecovered: input.faults.filter((f) => f.outcome === 'not-recovered').length,
      notRepaired: input.faults.filter((f) => f.outcome === 'not-repaired').length,
      skipped: input.faults.filter((f) => f.outcome === 'skipped').length,
      byTierKind: tierKindRows(input.faults),
    },
    recovery: spread(input.faults.filter((f) => f.recoveryMs !== null).map((f) => f.recoveryMs!)),
    repair: spread(input.faults.filter((f) => f.repairMs !== null).map((f) => f.repairMs!)),
    failures,
    violations: { total: input.violations.length, byInvariant },
  };
}
