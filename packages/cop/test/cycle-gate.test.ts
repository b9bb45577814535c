// The cycle gate (cycle-gate.ts): never two check cycles at once, a request while one runs is not lost.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stepGate, type CycleGate, type GateEvent } from '../src/cycle-gate.js';

const TABLE: [CycleGate, GateEvent, CycleGate, boolean][] = [
  ['idle', 'request', 'running', true],
  ['idle', 'finished', 'idle', false],
  ['running', 'request', 'running-again', false],
  ['running', 'finished', 'idle', false],
  ['running-again', 'request', 'running-again', false],
  ['running-again', 'finished', 'running', true],
];

for (const [gate, event, next, run] of TABLE) {
  test(`${gate} + ${event} -> ${next}${run ? ', run a cycle' : ''}`, () => {
    assert.deepEqual(stepGate(gate, event), { gate: next, run });
  });
}

test('three requests during a cycle make exactly one more cycle', () => {
  let gate: CycleGate = 'idle';
  let runs = 0;
  const step = (e: GateEvent) => {
    const r = stepGate(gate, e);
    gate = r.gate;
    if (r.run) runs++;
  };
  step('request');
  step('request');
  step('request');
  step('request');
  step('finished');
  step('finished');
  assert.equal(runs, 2);
  assert.equal(gate, 'idle');
});
