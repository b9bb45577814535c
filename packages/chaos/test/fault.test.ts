import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectedFailures, faultCombos, FAULT_KINDS, FAULT_TIERS, isPlannedStop, replacesTarget, tiersOf } from '../src/faults/fault.js';

test('SIGUSR1 only goes to the cop; SIGTERM to the cop only with planned stops', () => {
  const combos = faultCombos(FAULT_TIERS, FAULT_KINDS, false).map((c) => `${c.tier} ${c.kind}`);
  assert.ok(combos.includes('cop SIGUSR1'));
  assert.ok(!combos.includes('server SIGUSR1'));
  assert.ok(!combos.includes('manager+server SIGUSR1'));
  assert.ok(!combos.includes('cop SIGTERM'));
  assert.ok(combos.includes('manager SIGTERM'));
  assert.equal(combos.length, 4 * 6 - 3 - 1);
  assert.ok(faultCombos(['cop'], ['SIGTERM'], true).some(isPlannedStop));
});

test('manager+server names both tiers, manager first', () => {
  assert.deepEqual(tiersOf('manager+server'), ['manager', 'server']);
  assert.deepEqual(tiersOf('cop'), ['cop']);
});

test('only a server killed or wedged may reset connections; a planned stop may refuse; graceful paths fail nothing', () => {
  assert.deepEqual(expectedFailures({ tier: 'server', kind: 'SIGKILL' }), ['reset']);
  assert.deepEqual(expectedFailures({ tier: 'manager+server', kind: 'SIGSTOP' }), ['reset']);
  assert.deepEqual(expectedFailures({ tier: 'server', kind: 'SIGTERM' }), []);
  assert.deepEqual(expectedFailures({ tier: 'manager', kind: 'SIGKILL' }), []);
  assert.deepEqual(expectedFailures({ tier: 'cop', kind: 'SIGUSR1' }), []);
  assert.deepEqual(expectedFailures({ tier: 'cop', kind: 'SIGKILL' }), []);
  assert.deepEqual(expectedFailures({ tier: 'cop', kind: 'SIGTERM' }), ['refused', 'reset']);
});

test('a kill must be followed by a new process; SIGSTOP and SIGUSR1 need not', () => {
  assert.equal(replacesTarget('SIGKILL'), true);
  assert.equal(replacesTarget('SIGTERM'), true);
  assert.equal(replacesTarget('SIGSTOP'), false);
  assert.equal(replacesTarget('SIGUSR1'), false);
});
