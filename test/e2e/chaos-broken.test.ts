// The harness catches a broken target: with --unsafe-drop-sockets the cop closes its copy of the
// listening sockets, so killing manager and server together closes the socket and refuses
// connections. The campaign must exit 1 and name the invariant.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runChaos } from './chaos-run.js';

test('against a cop that drops its sockets, manager+server SIGKILLs break no-refused-connection: exit 1, named', async () => {
  const run = await runChaos(['--duration', '10', '--seed', '2', '--rate', '30', '--tiers', 'manager+server', '--faults', 'SIGKILL', '--no-socket-activation', '--cop-arg=--unsafe-drop-sockets'], 60_000);
  assert.equal(run.code, 1, run.transcript);
  assert.match(run.stdout, /VIOLATED no-refused-connection/, run.transcript);
  assert.match(run.stdout, /FAIL: invariant\(s\) violated: .*no-refused-connection/, run.transcript);
  assert.match(run.stdout, /VIOLATION no-refused-connection \[fault #\d+\]: \d+ failed request\(s\) \(\d+ refused\)/, run.transcript);
  const report = run.report;
  assert.ok(report, run.transcript);
  assert.ok(report.schedule.length === 2 && report.schedule.every((f) => f.tier === 'manager+server' && f.kind === 'SIGKILL'));
  assert.ok(report.summary.failures.refused.violation > 0, JSON.stringify(report.summary.failures));
  assert.ok((report.summary.violations.byInvariant['no-refused-connection'] ?? 0) > 0);
  assert.ok(report.violations.some((v) => v.invariant === 'listening-socket'), 'the samples saw the socket closed too');
  // The other invariants still held: the harness names what broke, not everything.
  assert.equal(report.summary.faults.notRecovered, 0, run.transcript);
  assert.equal(report.summary.violations.byInvariant['only-our-own'], undefined);
  assert.equal(report.summary.violations.byInvariant['no-stray-after-stop'], undefined);
});
