// The manager-life table (manager-life.ts), one row at a time, without processes or timers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RESTART_POLICY } from '@tripod/core';
import { DEATHS_KEPT, decideLife, INITIAL_LIFE, mayStartManager, type LifeAction, type LifeContext, type ManagerLife } from '../src/manager-life.js';

const CTX: LifeContext = { policy: DEFAULT_RESTART_POLICY, random: 0.5, lastServedAt: null };
const kinds = (actions: readonly LifeAction[]) => actions.map((a) => (a.type === 'log' ? `log ${a.event}` : a.type));
const spawned = (pid: number, at: number): ManagerLife => decideLife(INITIAL_LIFE, { type: 'spawned', pid, at }, CTX).state;

test('a spawned manager is watched as ours from its spawn', () => {
  assert.deepEqual(spawned(10, 1000).watched, { pid: 10, origin: 'spawned', since: 1000 });
});

test('our manager holding its lock, or not yet: nothing happens', () => {
  const life = spawned(10, 1000);
  assert.deepEqual(decideLife(life, { type: 'observed', holder: 10, at: 1100 }, CTX), { state: life, actions: [] });
  assert.deepEqual(decideLife(life, { type: 'observed', holder: null, at: 1100 }, CTX), { state: life, actions: [] }, 'starting, or its exit event is on its way');
});

test('a manager found holding the lock is adopted', () => {
  const { state, actions } = decideLife(INITIAL_LIFE, { type: 'observed', holder: 77, at: 500 }, CTX);
  assert.deepEqual(state.watched, { pid: 77, origin: 'adopted', since: 500 });
  assert.deepEqual(actions, []);
});

test('an adopted manager whose lock goes free has died: manager.exit is logged, tallied, and a check follows', () => {
  const adopted = decideLife(INITIAL_LIFE, { type: 'observed', holder: 77, at: 500 }, CTX).state;
  const { state, actions } = decideLife(adopted, { type: 'observed', holder: null, at: 9000 }, { ...CTX, lastServedAt: 8000 });
  assert.equal(state.watched, null);
  assert.equal(state.deaths.length, 1);
  assert.deepEqual(kinds(actions), ['log manager.exit', 'record-exit', 'backoff-until', 'check-after']);
  const log = actions[0] as Extract<LifeAction, { type: 'log' }>;
  assert.deepEqual(log.fields, { pid: 77, code: null, signal: null, requested: false, adopted: true });
  assert.deepEqual(actions.at(-1), { type: 'check-after', ms: 0 }, 'it served: the next manager starts at once');
});

test('our manager exiting unasked: logged, recorded, the first crash restarts at once', () => {
  const { state, actions } = decideLife(spawned(10, 1000), { type: 'exited', pid: 10, code: null, signal: 'SIGKILL', at: 1500, requested: false }, CTX);
  assert.equal(state.watched, null);
  assert.deepEqual(kinds(actions), ['log manager.exit', 'record-exit', 'backoff-until', 'check-after']);
  assert.deepEqual(actions[1], { type: 'record-exit', pid: 10, code: null, signal: 'SIGKILL', at: 1500 });
  assert.ok(mayStartManager(state, 1500));
});

test('a crash loop backs off: the second crash in a row waits, and no manager may start before', () => {
  let life = spawned(10, 1000);
  life = decideLife(life, { type: 'exited', pid: 10, code: 1, signal: null, at: 1100, requested: false }, CTX).state;
  life = decideLife(life, { type: 'spawned', pid: 11, at: 1100 }, CTX).state;
  const { state, actions } = decideLife(life, { type: 'exited', pid: 11, code: 1, signal: null, at: 1200, requested: false }, CTX);
  assert.deepEqual(kinds(actions), ['log manager.exit', 'record-exit', 'log manager.backoff', 'backoff-until', 'check-after']);
  const wait = actions.at(-1) as Extract<LifeAction, { type: 'check-after' }>;
  assert.ok(wait.ms > 0, `a delay (${wait.ms} ms)`);
  assert.equal(state.nextStartAt, 1200 + wait.ms);
  assert.ok(!mayStartManager(state, 1200 + wait.ms - 1));
  assert.ok(mayStartManager(state, 1200 + wait.ms));
});

test('a manager under which the service answered was healthy: its death restarts at once', () => {
  let life = spawned(10, 1000);
  life = decideLife(life, { type: 'exited', pid: 10, code: 1, signal: null, at: 1100, requested: false }, CTX).state;
  life = decideLife(life, { type: 'spawned', pid: 11, at: 1100 }, CTX).state;
  const { actions } = decideLife(life, { type: 'exited', pid: 11, code: 1, signal: null, at: 1200, requested: false }, { ...CTX, lastServedAt: 1150 });
  assert.deepEqual(actions.at(-1), { type: 'check-after', ms: 0 });
});

test('a requested exit (the instance stops) is logged at info and nothing else', () => {
  const { state, actions } = decideLife(spawned(10, 1000), { type: 'exited', pid: 10, code: 0, signal: null, at: 1500, requested: true }, CTX);
  assert.deepEqual(actions, [{ type: 'log', level: 'info', event: 'manager.exit', fields: { pid: 10, code: 0, signal: null, requested: true } }]);
  assert.equal(state.deaths.length, 0);
  assert.equal(state.watched, null);
});

test('the tally keeps the last deaths only', () => {
  let life = INITIAL_LIFE;
  for (let i = 0; i < DEATHS_KEPT + 5; i++) life = decideLife(life, { type: 'exited', pid: i, code: 1, signal: null, at: i * 100_000, requested: false }, CTX).state;
  assert.equal(life.deaths.length, DEATHS_KEPT);
});
