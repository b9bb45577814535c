import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideCheck, INITIAL_CHECK_STATE, keeperAnswer, poolAnswer, SERVER_LOCK_MISSES, type CheckAction, type CheckState, type Observation } from '../src/check-policy.js';

const policy = { probeFailures: 2, startGraceMs: 1000, hangAfterMs: 2000, killOnSlowMs: null, stallKillMs: null };
const live = (progressAgeMs = 5) => ({ ok: true as const, value: { version: 1 as const, pid: 20, token: 't', progressAgeMs, turns: 1, lagMs: 0, inflight: 0, started: 0, completed: 0, oldestInflightMs: 0 }, ms: 1 });
const okPing = (serverExpected = true) => ({ ok: true as const, value: { pid: 10, serverExpected, serverPid: 20 }, ms: 1 });
const failed = (error = 'timeout') => ({ ok: false as const, error, ms: 1000 });
const obs = (now: number, over: Partial<Observation> = {}): Observation => ({
  now,
  managerHolder: 10,
  managerStarting: false,
  ping: okPing(),
  serverHolder: 20,
  liveness: live(),
  probe: { ok: true, value: 't', ms: 1 },
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

test('failed heartbeats through the port do not kill a server that progresses', () => {
  const { actions } = run([obs(0), obs(2000, { probe: failed() }), obs(3000, { probe: failed() }), obs(4000, { probe: failed() })]);
  assert.equal(kills(actions).length, 0);
  assert.equal(actions.filter((a) => a.type === 'log' && a.event === 'heartbeat.fail').length, 3);
});

test('a server without progress past hangAfterMs is killed for a hang', () => {
  const { actions } = run([obs(0), obs(2000), obs(3000, { liveness: live(2500), probe: failed() })]);
  assert.deepEqual(kills(actions).map((a) => a.type === 'kill' && [a.tier, a.pid, a.cause]), [['server', 20, 'hang']]);
});

test('no progress within the start grace period of a new holder does not kill', () => {
  const { actions } = run([obs(0, { liveness: live(5000) }), obs(500, { liveness: live(5000) }), obs(900, { liveness: live(5000) })]);
  assert.equal(kills(actions).length, 0);
});

test('a new server PID starts a new grace period', () => {
  const { actions } = run([obs(0), obs(2000), obs(2100, { serverHolder: 21, liveness: live(5000) })]);
  assert.equal(kills(actions).length, 0);
});

test('an answer through the port with another server\'s token is a heartbeat failure, not a kill', () => {
  const other = { probe: { ok: true as const, value: 'someone-else', ms: 1 } };
  const { actions } = run([obs(0), obs(2000, other), obs(3000, { ...other, liveness: { ok: false, error: 'no answer', ms: 500 } })]);
  assert.equal(kills(actions).length, 0);
  const fails = actions.filter((a) => a.type === 'log' && a.event === 'heartbeat.fail' && /another server than the lock holder \(PID 20\)/.test(String(a.fields.error)));
  assert.equal(fails.length, 2, 'the last known token is used when the liveness socket did not answer this time');
});

test('two failed pings kill the manager', () => {
  const { actions } = run([obs(0), obs(2000, { ping: failed() }), obs(3000, { ping: failed() })]);
  assert.deepEqual(kills(actions).map((a) => a.type === 'kill' && [a.tier, a.pid]), [['manager', 10]]);
});

test(`a manager expecting a server while server.lock stays free for ${SERVER_LOCK_MISSES} checks is killed`, () => {
  const free = { serverHolder: null, probe: null, liveness: null };
  const once = run([obs(0, free)]);
  assert.equal(kills(once.actions).length, 0, 'one miss is a handover in progress');
  const levels = (actions: readonly CheckAction[]) => actions.filter((a) => a.type === 'log' && a.event === 'server.lock-free').map((a) => a.type === 'log' && a.level);
  assert.deepEqual(levels(once.actions), ['info'], 'one miss is routine (a new server answers before it takes its lock): info');
  const twice = run([obs(0, free), obs(1000, free)]);
  assert.deepEqual(kills(twice.actions).map((a) => a.type === 'kill' && a.cause), ['server-lock-free']);
  assert.deepEqual(levels(twice.actions), ['info', 'warn']);
  const notExpected = run([obs(0, { ...free, ping: okPing(false) }), obs(1000, { ...free, ping: okPing(false) })]);
  assert.equal(kills(notExpected.actions).length, 0, 'in backoff the manager expects no server');
});

const liveOf = (pid: number, token: string, progressAgeMs = 5) => ({ ok: true as const, value: { ...live(progressAgeMs).value, pid, token }, ms: 1 });

test('a pool: another slot holder without progress is killed on its own liveness while the first slot serves on', () => {
  const other = (progressAgeMs: number) => [{ holder: 21, liveness: liveOf(21, 'u', progressAgeMs) }, { holder: 22, liveness: liveOf(22, 'v') }];
  const { actions, state } = run([obs(0, { others: other(5) }), obs(2000, { others: other(5) }), obs(3000, { others: other(2500) })]);
  assert.deepEqual(kills(actions).map((a) => a.type === 'kill' && [a.pid, a.cause]), [[21, 'hang']]);
  assert.deepEqual(state.others.map((w) => w.pid), [21, 22]);
});

test('a pool: a silent liveness socket of another slot holder is a hang too, after its grace', () => {
  const silent = [{ holder: 21, liveness: failed('ECONNREFUSED') }];
  const { actions } = run([obs(0, { others: silent }), obs(1500, { others: silent }), obs(3500, { others: silent })]);
  assert.deepEqual(kills(actions).map((a) => a.type === 'kill' && a.pid), [21]);
});

test('poolAnswer: the heartbeat answered by any server of the pool counts for the first slot', () => {
  const others = [{ holder: 21, liveness: liveOf(21, 'u') }];
  const probe = { ok: true as const, value: 'u', ms: 3 };
  assert.deepEqual(poolAnswer(probe, 't', INITIAL_CHECK_STATE, others), { ok: true, value: 't', ms: 3 });
  assert.deepEqual(poolAnswer({ ...probe, value: 'x' }, 't', INITIAL_CHECK_STATE, others), { ...probe, value: 'x' }, 'a stranger stays a stranger');
});

test("a keeper's proof counts as the holder's own heartbeat: its token, so a keeper is never judged busy for the foreign program's silence", () => {
  assert.deepEqual(keeperAnswer({ ok: true, value: 42, ms: 3 }, 'tok'), { ok: true, value: 'tok', ms: 3 });
  assert.deepEqual(keeperAnswer({ ok: true, value: 42, ms: 3 }, null), { ok: true, value: 'keeper:42', ms: 3 });
  assert.deepEqual(keeperAnswer({ ok: false, error: 'keeper 42: program 43 showed no progress', ms: 3 }, 'tok'), { ok: false, error: 'keeper 42: program 43 showed no progress', ms: 3 });
  // Through decideCheck: a keeper that keeps proving stays ok past its grace.
  const policy = { probeFailures: 3, startGraceMs: 100, hangAfterMs: 2000, killOnSlowMs: null, stallKillMs: null };
  const report = { version: 1 as const, pid: 42, token: 'tok', progressAgeMs: 300, turns: 5, lagMs: 0, inflight: 0, started: 0, completed: 0, oldestInflightMs: 0 };
  let state: CheckState = INITIAL_CHECK_STATE;
  for (let now = 1000; now <= 5000; now += 500) {
    const obs: Observation = { now, managerHolder: 7, managerStarting: false, ping: null, serverHolder: 42, liveness: { ok: true, value: report, ms: 1 }, probe: keeperAnswer({ ok: true, value: 42, ms: 2 }, 'tok') };
    const decision = decideCheck(state, obs, policy);
    state = decision.state;
    assert.equal(decision.actions.filter((a) => a.type === 'kill').length, 0);
  }
  assert.equal(state.server.verdict, 'ok');
});
