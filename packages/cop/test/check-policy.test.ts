import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideCheck, INITIAL_CHECK_STATE, SERVER_LOCK_MISSES, type CheckAction, type CheckState, type Observation } from '../src/check-policy.js';

const policy = { probeFailures: 2, startGraceMs: 1000 };
const okPing = (serverExpected = true) => ({ ok: true as const, value: { pid: 10, serverExpected, serverPid: 20 }, ms: 1 });
const failed = (error = 'timeout') => ({ ok: false as const, error, ms: 1000 });
const obs = (now: number, over: Partial<Observation> = {}): Observation => ({
  now,
  managerHolder: 10,
  managerStarting: false,
  ping: okPing(),
  serverHolder: 20,
  probe: { ok: true, value: 20, ms: 1 },
  ...over,
});

function run(observations: Observation[], from: CheckState = INITIAL_CHECK_STATE) {
  let state = from;
  const actions: CheckAction[] = [];
  for (const o of observations) {
    const d = decideCheck(state, o, policy);
    state = d.state;
    actions.push(...d.actions);
  }
  return { state, actions };
}
const kills = (actions: CheckAction[]) => actions.filter((a) => a.type === 'kill');

test('a free manager lock starts a manager, unless one is still starting', () => {
  assert.deepEqual(run([obs(0, { managerHolder: null, ping: null })]).actions, [{ type: 'start-manager' }]);
  assert.deepEqual(run([obs(0, { managerHolder: null, ping: null, managerStarting: true })]).actions, []);
});

test('two failed probes in a row, after the grace period, kill the server', () => {
  const { actions } = run([obs(0), obs(2000, { probe: failed() }), obs(3000, { probe: failed() })]);
  assert.deepEqual(kills(actions).map((a) => a.type === 'kill' && [a.tier, a.pid, a.cause]), [['server', 20, 'heartbeat']]);
});

test('a success in between resets the count (Traffic Server never did)', () => {
  const { actions } = run([obs(0), obs(2000, { probe: failed() }), obs(3000), obs(4000, { probe: failed() })]);
  assert.equal(kills(actions).length, 0);
});

test('failures within the start grace period of a new holder do not count', () => {
  const { actions } = run([obs(0, { probe: failed() }), obs(500, { probe: failed() }), obs(900, { probe: failed() })]);
  assert.equal(kills(actions).length, 0);
});

test('a new server PID resets the failures and starts a new grace period', () => {
  const { actions } = run([obs(0), obs(2000, { probe: failed() }), obs(2100, { serverHolder: 21, probe: failed() })]);
  assert.equal(kills(actions).length, 0);
});

test('an answer from a PID other than the lock holder counts as a failure', () => {
  const { actions } = run([obs(0), obs(2000, { probe: { ok: true, value: 99, ms: 1 } }), obs(3000, { probe: { ok: true, value: 99, ms: 1 } })]);
  assert.equal(kills(actions).length, 1);
});

test('two failed pings kill the manager', () => {
  const { actions } = run([obs(0), obs(2000, { ping: failed() }), obs(3000, { ping: failed() })]);
  assert.deepEqual(kills(actions).map((a) => a.type === 'kill' && [a.tier, a.pid]), [['manager', 10]]);
});

test(`a manager expecting a server while server.lock stays free for ${SERVER_LOCK_MISSES} checks is killed`, () => {
  const free = { serverHolder: null, probe: null };
  const once = run([obs(0, free)]);
  assert.equal(kills(once.actions).length, 0, 'one miss is a handover in progress');
  const twice = run([obs(0, free), obs(1000, free)]);
  assert.deepEqual(kills(twice.actions).map((a) => a.type === 'kill' && a.cause), ['server-lock-free']);
  const notExpected = run([obs(0, { ...free, ping: okPing(false) }), obs(1000, { ...free, ping: okPing(false) })]);
  assert.equal(kills(notExpected.actions).length, 0, 'in backoff the manager expects no server');
});
