import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BucketAggregator } from '../src/analysis/buckets.js';
import { assembleReport, faultWindows, overloadViolations, recoveryViolations, type CampaignParts } from '../src/report/assemble.js';
import type { FaultRecord } from '../src/report/model.js';

const base: FaultRecord = {
  index: 1, tier: 'server', kind: 'SIGKILL', holdMs: 0, planned: false, scheduledAt: 1000, injectedAt: 1000, recoveredAt: 1300, recoveryMs: 300,
  repairedAt: 1400, repairMs: 400, endedAt: 1400, outcome: 'recovered', targets: [], servedBefore: 5, servedAfter: 6, note: null,
};
const bounds = { recoveryMs: 10_000, repairMs: 45_000 };

test('a fault window runs from the injection to the end of its watch; skipped faults have none', () => {
  assert.deepEqual(faultWindows([base, { ...base, index: 2, outcome: 'skipped', injectedAt: null, endedAt: null }]), [{ index: 1, tier: 'server', kind: 'SIGKILL', from: 1000, to: 1400 }]);
  assert.equal(faultWindows([{ ...base, endedAt: null }])[0]!.to, Number.POSITIVE_INFINITY);
});

test('late service and late repair are fault-recovered violations that say which', () => {
  assert.deepEqual(recoveryViolations([base], bounds), []);
  const late = recoveryViolations([{ ...base, outcome: 'not-recovered', recoveryMs: 12_300, note: 'x' }], bounds);
  assert.equal(late[0]!.invariant, 'fault-recovered');
  assert.equal(late[0]!.message, 'fault #1 (server SIGKILL): no server answered the heartbeat within 10 s (it did after 12.3 s); x');
  const unrepaired = recoveryViolations([{ ...base, outcome: 'not-repaired', repairedAt: null, repairMs: null }], bounds);
  assert.equal(unrepaired[0]!.message, 'fault #1 (server SIGKILL): the tiers were not all back within 45 s');
});

test('an overload after which another server answers is an overload-no-kill violation', () => {
  const burst: FaultRecord = { ...base, kind: 'overload', holdMs: 3000, servedBefore: 5, servedAfter: 5 };
  assert.deepEqual(overloadViolations([burst, base]), [], 'the same server before and after; kills of other kinds are not its business');
  const killed = overloadViolations([{ ...burst, servedAfter: 6 }]);
  assert.equal(killed[0]!.invariant, 'overload-no-kill');
  assert.equal(killed[0]!.message, 'fault #1 (server overload, 3000 ms): server 5 served before, 6 after');
});

test('the report judges failures against the windows and orders every violation by time', () => {
  const agg = new BucketAggregator(0);
  agg.add(1100, 'reset', 2);
  agg.add(5000, 'refused', 1);
  const parts: CampaignParts = {
    options: {}, seed: 1, startedAt: 0, readyAt: 0, loadEndedAt: 10_000, endedAt: 11_000,
    instance: { runtimeDir: '/x', id: 'i', host: '127.0.0.1', port: 1, app: null, attached: false, reaper: 'subreaper' },
    schedule: [], faults: [base], copRuns: [], events: [],
    sampleViolations: [{ invariant: 'listening-socket', at: 6000, message: 'closed', fault: null }],
    failures: [{ at: 1100, ms: 2, outcome: 'reset', mode: 'new', error: 'ECONNRESET' }, { at: 5000, ms: 1, outcome: 'refused', mode: 'new', error: 'ECONNREFUSED' }],
    failuresDropped: 0, bucketOrigin: 0, bucketMs: 100, rows: agg.toRows(), samples: { count: 1, scans: 1 }, notes: [],
  };
  const report = assembleReport(parts, bounds);
  assert.deepEqual(report.failures.map((f) => [f.verdict, f.fault]), [['expected', 1], ['violation', null]]);
  assert.deepEqual(report.violations.map((v) => v.invariant), ['no-refused-connection', 'listening-socket']);
  assert.equal(report.summary.verdict, 'fail');
  assert.equal(report.summary.durationMs, 10_000);
});
