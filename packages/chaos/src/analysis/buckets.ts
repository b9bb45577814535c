// Requests aggregated per 100 ms so report.json stays bounded however long the campaign runs; every
// failure is kept individually elsewhere.
import { OUTCOMES, type Outcome } from '../load/outcome.js';

export const BUCKET_MS = 100;

/** One bucket as stored: [index, ...counts in OUTCOMES order, latency sum ms, latency max ms]. */
export type BucketRow = number[];
export const BUCKET_FIELDS = ['index', ...OUTCOMES, 'latencySumMs', 'latencyMaxMs'] as const;

export interface Bucket {
  /** Position since the origin, in BUCKET_MS steps. */
  readonly index: number;
  readonly counts: Readonly<Record<Outcome, number>>;
  readonly latencySumMs: number;
  readonly latencyMaxMs: number;
}

/** Accumulates request outcomes into buckets by start time. */
export class BucketAggregator {
  private readonly rows = new Map<number, BucketRow>();

  constructor(readonly origin: number, readonly bucketMs = BUCKET_MS) {}

  add(at: number, outcome: Outcome, ms: number): void {
    const index = Math.max(0, Math.floor((at - this.origin) / this.bucketMs));
    let row = this.rows.get(index);
    if (!row) {
      row = [index, ...OUTCOMES.map(() => 0), 0, 0];
      this.rows.set(index, row);
    }
    row[1 + OUTCOMES.indexOf(outcome)]! += 1;
    row[1 + OUTCOMES.length] = row[1 + OUTCOMES.length]! + ms;
    row[2 + OUTCOMES.length] = Math.max(row[2 + OUTCOMES.length]!, ms);
  }

  /** The rows, in time order. */
  toRows(): BucketRow[] {
    return [...this.rows.values()].sort((a, b) => a[0]! - b[0]!);
  }
}

/** Reads a stored row back. */
export function parseBucketRow(row: BucketRow): Bucket {
  const counts = Object.fromEntries(OUTCOMES.map((o, i) => [o, row[1 + i] ?? 0])) as Record<Outcome, number>;
  return { index: row[0] ?? 0, counts, latencySumMs: row[1 + OUTCOMES.length] ?? 0, latencyMaxMs: row[2 + OUTCOMES.length] ?? 0 };
}

export interface SecondPoint {
  /** Seconds since the origin. */
  readonly second: number;
  readonly counts: Readonly<Record<Outcome, number>>;
  readonly total: number;
  readonly latencyMeanMs: number | null;
  readonly latencyMaxMs: number | null;
}

/** Buckets folded into one point per second, with empty seconds filled in up to `seconds`. */
export function perSecond(rows: readonly BucketRow[], bucketMs: number, seconds: number): SecondPoint[] {
  const per = Math.max(1, Math.round(1000 / bucketMs));
  const points = Array.from({ length: Math.max(0, seconds) }, (_, second) => ({
    second,
    counts: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>,
    total: 0,
    sum: 0,
    max: 0,
  }));
  for (const row of rows) {
    const b = parseBucketRow(row);
    const p = points[Math.floor(b.index / per)];
    if (!p) continue;
    for (const o of OUTCOMES) p.counts[o] += b.counts[o];
    const n = OUTCOMES.reduce((s, o) => s + b.counts[o], 0);
    p.total += n;
    p.sum += b.latencySumMs;
    p.max = Math.max(p.max, b.latencyMaxMs);
  }
  return points.map((p) => ({
    second: p.second,
    counts: p.counts,
    total: p.total,
    latencyMeanMs: p.total > 0 ? p.sum / p.total : null,
    latencyMaxMs: p.total > 0 ? p.max : null,
  }));
}
