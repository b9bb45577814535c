// A short seeded campaign against the embedded default application: every fault of the schedule is
// injected and repaired, no connection is refused, nothing is left, and the harness exits 0 with a
// report. Seed 45 over 15 s plans 5 faults on all four targets (manager+server SIGABRT, manager
// SIGSTOP, server SIGSTOP, server SIGABRT, cop SIGABRT); no cop crash precedes a manager death in it,
// a sequence that is a known cop bug covered by chaos-adopted-cop.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runChaos } from './chaos-run.js';

test('a 15 s seeded campaign exits 0: every fault recovered, nothing refused, report written', async () => {
  // A generous service bound: the machine running the suite is shared and often saturated.
  const run = await runChaos(['--duration', '15', '--seed', '45', '--rate', '30', '--recovery-sec', '20'], 60_000);
  assert.equal(run.code, 0, run.transcript);
  assert.match(run.stdout, /PASS: no invariant violated/, run.transcript);
  const report = run.report;
  assert.ok(report, `no report.json\n${run.transcript}`);
  assert.equal(report.seed, 45);
  assert.deepEqual(report.schedule.map((f) => `${f.tier} ${f.kind}`), ['manager+server SIGABRT', 'manager SIGSTOP', 'server SIGSTOP', 'server SIGABRT', 'cop SIGABRT']);
  const s = report.summary;
  // A fault waits while the previous one is being repaired; on a saturated machine the two SIGSTOP
  // repairs can push the last faults past the 15 s: what was injected must all be repaired.
  assert.ok(s.faults.injected >= 3, `only ${s.faults.injected} faults injected\n${run.transcript}`);
  assert.equal(s.faults.notRecovered, 0, run.transcript);
  assert.ok(report.faults.filter((f) => f.outcome !== 'skipped').every((f) => f.recoveryMs !== null && f.repairMs !== null), JSON.stringify(report.faults));
  assert.equal(s.failures.refused.total, 0, run.transcript);
  assert.deepEqual(report.violations, []);
  assert.ok(s.requests.total > 500, `only ${s.requests.total} requests`);
  // The cop was killed once and the harness, as its outer supervisor, started it again.
  const copFault = report.faults.find((f) => f.tier === 'cop');
  if (copFault !== undefined && copFault.outcome !== 'skipped') assert.ok(report.copRuns.length >= 2, JSON.stringify(report.copRuns));
  assert.equal(report.instance.reaper, 'subreaper');
  assert.ok(run.html?.includes('<svg'), 'report.html with its timeline');
  assert.match(run.html ?? '', /PASS: no invariant violated/);
});
