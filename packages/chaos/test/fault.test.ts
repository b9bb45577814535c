import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_FAULT_KINDS, expectedFailures, faultCombos, FAULT_KINDS, isHeld, FAULT_TIERS, isPlannedStop, replacesTarget, tiersOf } from '../src/faults/fault.js';

test('SIGUSR1 only goes to the cop; SIGTERM to the cop only with planned stops', () => {
  const combos = faultCombos(FAULT_TIERS, FAULT_KINDS, false).map((c) => `${c.tier} ${c.kind}`);
  assert.ok(combos.includes('cop SIGUSR1'));
  assert.ok(!combos.includes('server SIGUSR1'));
  assert.ok(!combos.includes('manager+server SIGUSR1'));
  assert.ok(!combos.includes('cop SIGTERM'));
  assert.ok(combos.includes('manager SIGTERM'));
  assert.equal(combos.length, 4 * 7 - 3 - 1 - 3);
  assert.ok(faultCombos(['cop'], ['SIGTERM'], true).some(isPlannedStop));
});

test('overload goes to the server only, fails nothing, replaces nothing, and is drawn only when asked for', () => {
  const combos = faultCombos(FAULT_TIERS, FAULT_KINDS, false).filter((c) => c.kind === 'overload');
  assert.deepEqual(combos, [{ tier: 'server', kind: 'overload' }]);
  assert.deepEqual(expectedFailures({ tier: 'server', kind: 'overload' }), []);
  assert.equal(replacesTarget('overload'), false);
  assert.ok(isHeld('overload') && isHeld('SIGSTOP') && !isHeld('SIGKILL'));
  assert.ok(!DEFAULT_FAULT_KINDS.includes('overload'));
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
