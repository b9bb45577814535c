// The stray table (stray-triage.ts), without processes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stopGraceMs, triageStray, type TriageContext } from '../src/stray-triage.js';

const config = { drainTimeoutMs: 10_000, killGraceMs: 1500 };
const at = (moment: TriageContext['moment'], holdsSockets = true, serverHolder: number | null = 30): TriageContext => ({ moment, holdsSockets, serverHolder, config });

test('at cop start every stray is killed with the drain grace, uncounted', () => {
  for (const tier of ['server', 'manager'] as const) {
    assert.deepEqual(triageStray({ pid: 30, tier }, at('cop-start')), { action: 'kill', reason: `stray ${tier} at cop start`, graceMs: 10_000, counted: false });
  }
});

test('before a manager starts, the orphaned server holding server.lock is left for the handover', () => {
  assert.deepEqual(triageStray({ pid: 30, tier: 'server' }, at('manager-start')), { action: 'leave', event: 'stray.left-for-handover' });
});

test('before a manager starts, other stray servers drain in the background; stray managers are killed', () => {
  assert.deepEqual(triageStray({ pid: 31, tier: 'server' }, at('manager-start')), { action: 'drain', reason: 'stray server (its manager is gone)', graceMs: 10_000, counted: true });
  assert.deepEqual(triageStray({ pid: 20, tier: 'manager' }, at('manager-start')), { action: 'kill', reason: 'stray manager', graceMs: 1500, counted: true });
});

test('a cop without sockets (it adopted the dead manager) must clear every stray before it binds', () => {
  assert.deepEqual(triageStray({ pid: 30, tier: 'server' }, at('manager-start', false)), { action: 'kill', reason: 'stray server', graceMs: 10_000, counted: true });
});

test('at instance stop everything is killed with the stop grace', () => {
  assert.equal(stopGraceMs(config), 10_000 + 3000 + 1000);
  assert.deepEqual(triageStray({ pid: 30, tier: 'server' }, at('instance-stop')), { action: 'kill', reason: 'instance stop', graceMs: 14_000, counted: false });
});
