// A cop started again while the manager runs adopts the manager. Seed 1 over 15 s with only cop and
// manager SIGKILLs plans a cop kill, then two manager kills: the manager dies under an adopting cop.
// With the socket held outside the cop (systemd's tripod.socket, played by the harness) nothing is
// refused. Without it, the adopting cop holds no socket (Node cannot take an fd from an unrelated
// process), so the queue dies with the next manager: that known gap is kept as a todo, documented in
// docs/guarantees.md.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runChaos } from './chaos-run.js';

const ARGS = ['--duration', '15', '--seed', '1', '--rate', '30', '--tiers', 'cop,manager', '--faults', 'SIGKILL', '--recovery-sec', '20'];

async function managerKilledUnderAdoptingCop(extra: string[]) {
  const run = await runChaos([...ARGS, ...extra], 60_000);
  assert.ok(run.report, run.transcript);
  assert.deepEqual(run.report.schedule.map((f) => f.tier), ['cop', 'manager', 'manager']);
  // The test proves something only if the manager was killed after the cop restart.
  assert.deepEqual(run.report.faults.slice(0, 2).map((f) => f.outcome), ['recovered', 'recovered'], run.transcript);
  assert.equal(run.report.summary.failures.refused.total, 0, run.transcript);
  assert.equal(run.code, 0, run.transcript);
}

test('with socket activation, a manager killed after a cop restart refuses no connection', () => managerKilledUnderAdoptingCop([]));

test('without socket activation, the same refuses nothing', { todo: 'an adopting cop holds no listening socket without systemd socket activation (docs/guarantees.md)' }, () =>
  managerKilledUnderAdoptingCop(['--no-socket-activation']));
