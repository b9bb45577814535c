import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JudgedFailure } from '../src/analysis/attribution.js';
import { BucketAggregator, perSecond } from '../src/analysis/buckets.js';
import { quantile, spread } from '../src/analysis/statistics.js';
import { summarize } from '../src/analysis/summary.js';
import type { FaultRecord } from '../src/report/model.js';

test('nearest-rank quantiles', () => {
  assert.equal(quantile([], 0.5), null);
  assert.equal(quantile([5], 0.95), 5);
  assert.equal(quantile([4, 1, 3, 2], 0.5), 2);
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(quantile(hundred, 0.95), 95);
  assert.equal(quantile(hundred, 1), 100);
  assert.deepEqual(spread([300, 100, 200]), { count: 3, median: 200, p95: 300, max: 300 });
  assert.deepEqual(spread([]), { count: 0, median: null, p95: null, max: null });
});

test('requests are bucketed per 100 ms by start time, with latency sum and max; seconds fold ten buckets', () => {
  const agg = new BucketAggregator(1000);
  agg.add(1000, 'ok', 5);
  agg.add(1099, 'ok', 7);
  agg.add(1100, 'reset', 40);
  agg.add(2050, 'refused', 1);
  agg.add(900, 'ok', 3); // before the origin: the first bucket
  const rows = agg.toRows();
  assert.deepEqual(rows.map((r) => r[0]), [0, 1, 10]);
  assert.deepEqual(rows[0], [0, 3, 0, 0, 0, 0, 0, 15, 7]);
  const seconds = perSecond(rows, 100, 3);
  assert.equal(seconds.length, 3);
  assert.equal(seconds[0]!.total, 4);
  assert.equal(seconds[0]!.counts.reset, 1);
  assert.equal(seconds[0]!.latencyMaxMs, 40);
  assert.equal(seconds[0]!.latencyMeanMs, 55 / 4);
  assert.equal(seconds[1]!.counts.refused, 1);
  assert.equal(seconds[2]!.total, 0);
  assert.equal(seconds[2]!.latencyMeanMs, null);
});

const fault = (index: number, tier: FaultRecord['tier'], kind: FaultRecord['kind'], outcome: FaultRecord['outcome'], recoveryMs: number | null): FaultRecord => ({
  index, tier, kind, holdMs: 0, planned: false, scheduledAt: 0, injectedAt: outcome === 'skipped' ? null : 0, recoveredAt: recoveryMs, recoveryMs,
  repairedAt: recoveryMs === null ? null : recoveryMs + 100, repairMs: recoveryMs === null ? null : recoveryMs + 100, endedAt: 0, outcome,
  targets: [], servedBefore: null, servedAfter: null, note: null,
});

test('the summary counts faults by tier × kind with recovery spreads, failures by class and verdict, violations by invariant', () => {
  const agg = new BucketAggregator(0);
  for (let i = 0; i < 97; i++) agg.add(i * 10, 'ok', 2);
  agg.add(100, 'reset', 1);
  agg.add(200, 'reset', 1);
  agg.add(300, 'refused', 1);
  const failures: JudgedFailure[] = [
    { at: 100, ms: 1, outcome: 'reset', mode: 'new', error: null, fault: 1, verdict: 'expected', invariant: null },
    { at: 200, ms: 1, outcome: 'reset', mode: 'new', error: null, fault: 1, verdict: 'expected', invariant: null },
    { at: 300, ms: 1, outcome: 'refused', mode: 'new', error: null, fault: 2, verdict: 'violation', invariant: 'no-refused-connection' },
  ];
  const summary = summarize({
    durationMs: 10_000,
    planned: 5,
    faults: [fault(1, 'server', 'SIGKILL', 'recovered', 300), fault(2, 'server', 'SIGKILL', 'recovered', 500), fault(3, 'manager', 'SIGSTOP', 'not-recovered', null), fault(4, 'cop', 'SIGKILL', 'skipped', null)],
    rows: agg.toRows(),
    failures,
    violations: [{ invariant: 'no-refused-connection', at: 300, message: 'x', fault: 2 }, { invariant: 'fault-recovered', at: 0, message: 'y', fault: 3 }],
  });
  assert.equal(summary.verdict, 'fail');
  assert.equal(summary.requests.total, 100);
  assert.equal(summary.requests.perSecond, 10);
  assert.deepEqual([summary.faults.planned, summary.faults.injected, summary.faults.recovered, summary.faults.notRecovered, summary.faults.skipped], [5, 3, 2, 1, 1]);
  const server = summary.faults.byTierKind.find((r) => r.tier === 'server')!;
  assert.deepEqual(server.recovery, { count: 2, median: 300, p95: 500, max: 500 });
  assert.deepEqual(server.repair, { count: 2, median: 400, p95: 600, max: 600 });
  assert.deepEqual(summary.repair, { count: 2, median: 400, p95: 600, max: 600 });
  assert.deepEqual(summary.failures.reset, { total: 2, expected: 2, plannedStop: 0, violation: 0 });
  assert.deepEqual(summary.failures.refused, { total: 1, expected: 0, plannedStop: 0, violation: 1 });
  assert.deepEqual(summary.violations.byInvariant, { 'no-refused-connection': 1, 'fault-recovered': 1 });
  assert.equal(summarize({ durationMs: 1, planned: 0, faults: [], rows: [], failures: [], violations: [] }).verdict, 'pass');
});
