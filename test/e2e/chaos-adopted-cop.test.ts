// Known cop bug, kept as a todo until the cop is fixed: a cop started again while the manager runs
// adopts the manager but holds no listening socket, so when that manager dies next the kernel queue
// dies with it and connections are refused until the cop binds again. Seed 1 over 15 s with only
// cop and manager SIGKILLs plans a cop kill, then two manager kills. Remove `todo` once the fix lands.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runChaos } from './chaos-run.js';

test('a manager killed after a cop restart refuses no connection', { todo: 'cop: an adopting cop holds no listening socket (reported)' }, async () => {
  const run = await runChaos(['--duration', '15', '--seed', '1', '--rate', '30', '--tiers', 'cop,manager', '--faults', 'SIGKILL', '--recovery-sec', '20'], 60_000);
  assert.ok(run.report, run.transcript);
  assert.deepEqual(run.report.schedule.map((f) => f.tier), ['cop', 'manager', 'manager']);
  // The test proves something only if the manager was killed after the cop restart.
  assert.deepEqual(run.report.faults.slice(0, 2).map((f) => f.outcome), ['recovered', 'recovered'], run.transcript);
  assert.equal(run.report.summary.failures.refused.total, 0, run.transcript);
  assert.equal(run.code, 0, run.transcript);
});
