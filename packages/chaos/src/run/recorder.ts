// Where every request's outcome goes: counted per 100 ms bucket, failures kept one by one (capped).
import type { Failure } from '../analysis/attribution.js';
import { BucketAggregator } from '../analysis/buckets.js';
import type { RequestRecord } from '../load/client.js';
import { OUTCOMES, type Outcome } from '../load/outcome.js';

/** Failures stored individually at most; beyond this they are only counted (report.json stays bounded). */
export const MAX_STORED_FAILURES = 100_000;

export class RequestRecorder {
  readonly buckets: BucketAggregator;
  readonly failures: Failure[] = [];
  readonly counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  dropped = 0;

  constructor(readonly origin: number) {
    this.buckets = new BucketAggregator(origin);
  }

  record(r: RequestRecord): void {
    this.counts[r.outcome]++;
    this.buckets.add(r.at, r.outcome, r.ms);
    if (r.outcome === 'ok') return;
    if (this.failures.length >= MAX_STORED_FAILURES) {
      this.dropped++;
      return;
    }
    this.failures.push({ at: r.at, ms: r.ms, outcome: r.outcome, mode: r.mode, error: r.error });
  }

  get total(): number {
    return OUTCOMES.reduce((s, o) => s + this.counts[o], 0);
  }
}
