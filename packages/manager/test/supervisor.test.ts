import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RESTART_POLICY } from '@tripod/core';
import { decide, exitCause, INITIAL_STATE, type Action, type DecideContext, type SupervisorEvent, type SupervisorState } from '../src/supervisor.js';

const ctx = (now: number, random = 0.5, standby = false): DecideContext => ({
  now,
  random,
  launchTimeoutMs: 10_000,
  drainTimeoutMs: 5000,
  killGraceMs: 1000,
  policy: { ...DEFAULT_RESTART_POLICY, jitter: 0 },
  standby,
  restartBatch: 1,
  minUptimeMs: 1000, standbySettleMs: 0,
});

/** Feeds events in order; returns the final state and every action, with the clock at `now`. */
function run(events: [number, SupervisorEvent][], from: SupervisorState = INITIAL_STATE, standby = false) {
  let state = from;
  const actions: Action[] = [];
  for (const [now, event] of events) {
    const d = decide(state, event, ctx(now, 0.5, standby));
    state = d.state;
    actions.push(...d.actions);
  }
  return { state, actions };
}

const of = <T extends Action['type']>(actions: Action[], type: T) => actions.filter((a): a is Extract<Action, { type: T }> => a.type === type);

test('start spawns one server and arms its launch deadline', () => {
  const { state, actions } = run([[0, { type: 'start' }]]);
  assert.deepEqual(of(actions, 'spawn'), [{ type: 'spawn', id: 1, slot: 0, handover: false, standby: false }]);
  assert.deepEqual(of(actions, 'arm'), [{ type: 'arm', name: 'launch:1', ms: 10_000 }]);
  assert.equal(state.procs[0]?.role, 'starting');
});

test('ready makes it serving and cancels the launch deadline', () => {
  const { state, actions } = run([[0, { type: 'start' }], [1, { type: 'spawned', id: 1, pid: 100 }], [50, { type: 'ready', pid: 100 }]]);
  assert.equal(state.procs[0]?.role, 'serving');
  assert.ok(of(actions, 'cancel').some((a) => a.name === 'launch:1'));
});

const serving: [number, SupervisorEvent][] = [[0, { type: 'start' }], [1, { type: 'spawned', id: 1, pid: 100 }], [50, { type: 'ready', pid: 100 }]];

test('a crash restarts at once, a second crash in a row backs off, the backoff timer restarts', () => {
  const first = run([...serving, [1000, { type: 'exited', pid: 100, code: null, signal: 'SIGKILL' }]]);
  assert.equal(of(first.actions, 'spawn').length, 2, 'respawned at once');
  assert.equal(first.state.restarts, 1);
  const second = run([[1001, { type: 'spawned', id: 2, pid: 101 }], [1100, { type: 'exited', pid: 101, code: 1, signal: null }]], first.state);
  assert.equal(of(second.actions, 'spawn').length, 0, 'not at once the second time');
  assert.deepEqual(of(second.actions, 'arm'), [{ type: 'arm', name: 'backoff:0', ms: DEFAULT_RESTART_POLICY.baseDelayMs }]);
  assert.equal(second.state.slots[0]!.backoffUntil, 1100 + DEFAULT_RESTART_POLICY.baseDelayMs);
  assert.equal(second.state.slots[0]!.consecutiveCrashes, 2);
  const fired = run([[1200, { type: 'timer', name: 'backoff:0' }]], second.state);
  assert.equal(of(fired.actions, 'spawn').length, 1);
  assert.equal(fired.state.slots[0]!.backoffUntil, null);
});

test('every exit kills what the application left in the server process group', () => {
  const { actions } = run([...serving, [1000, { type: 'exited', pid: 100, code: 1, signal: null }]]);
  assert.ok(of(actions, 'signal').some((a) => a.pid === 100 && a.signal === 'SIGKILL' && a.group));
});

test('the no-restart exit code stays down and says why; start clears it', () => {
  const down = run([...serving, [1000, { type: 'exited', pid: 100, code: 125, signal: null }]]);
  assert.equal(of(down.actions, 'spawn').length, 1, 'only the first spawn');
  assert.equal(down.state.slots[0]!.stayDown, 'no-restart-code');
  const again = run([[2000, { type: 'start' }]], down.state);
  assert.equal(of(again.actions, 'spawn').length, 1);
  assert.equal(again.state.slots[0]!.stayDown, null);
});

test('stop drains every server and reports all-stopped once the last exits; its exit is not a crash', () => {
  const stopping = run([[1000, { type: 'stop', graceful: true }]], run(serving).state);
  assert.deepEqual(of(stopping.actions, 'signal'), [{ type: 'signal', pid: 100, signal: 'SIGTERM', group: false }]);
  assert.deepEqual(of(stopping.actions, 'arm'), [{ type: 'arm', name: 'drain:1', ms: 6000 }]);
  const gone = run([[1100, { type: 'exited', pid: 100, code: 0, signal: null }]], stopping.state);
  assert.equal(of(gone.actions, 'spawn').length, 0);
  assert.equal(of(gone.actions, 'all-stopped').length, 1);
  assert.equal(gone.state.lastExit?.requested, true);
  assert.deepEqual(gone.state.exitsByCause, { requested: 1 });
});

test('a graceful restart starts a handover server and drains the old one only once the new is ready', () => {
  const asked = run([[1000, { type: 'restart' }]], run(serving).state);
  assert.deepEqual(of(asked.actions, 'spawn'), [{ type: 'spawn', id: 2, slot: 0, handover: true, standby: false }]);
  assert.equal(of(asked.actions, 'signal').length, 0, 'the old server keeps serving until the new one is ready');
  const ready = run([[1001, { type: 'spawned', id: 2, pid: 200 }], [1200, { type: 'ready', pid: 200 }]], asked.state);
  assert.deepEqual(of(ready.actions, 'signal'), [{ type: 'signal', pid: 100, signal: 'SIGTERM', group: false }]);
  assert.deepEqual(ready.state.procs.map((p) => [p.pid, p.role]), [[100, 'draining'], [200, 'serving']]);
  const drained = run([[1300, { type: 'exited', pid: 100, code: 0, signal: null }]], ready.state);
  assert.equal(of(drained.actions, 'spawn').length, 0);
  assert.equal(drained.state.restarts, 0, 'a planned restart is not counted as a crash restart');
});

test('a handover server that dies leaves the old one serving', () => {
  const { state, actions } = run([...serving, [1000, { type: 'restart' }], [1001, { type: 'spawned', id: 2, pid: 200 }], [1100, { type: 'exited', pid: 200, code: 6, signal: null }]]);
  assert.deepEqual(state.procs.map((p) => [p.pid, p.role]), [[100, 'serving']]);
  assert.equal(of(actions, 'signal').filter((a) => a.pid === 100).length, 0, 'the old server is not touched');
});

test('the launch deadline kills a server that never became ready; its exit counts as a crash', () => {
  const late = run([[0, { type: 'start' }], [1, { type: 'spawned', id: 1, pid: 100 }], [10_001, { type: 'timer', name: 'launch:1' }]]);
  assert.deepEqual(of(late.actions, 'signal'), [{ type: 'signal', pid: 100, signal: 'SIGKILL', group: true }]);
  const died = run([[10_010, { type: 'exited', pid: 100, code: null, signal: 'SIGKILL' }]], late.state);
  assert.equal(of(died.actions, 'spawn').length, 1, 'restarted at once, the first crash');
});

test('a healthy run resets the backoff', () => {
  let state = run([...serving, [1000, { type: 'exited', pid: 100, code: 1, signal: null }], [1001, { type: 'spawned', id: 2, pid: 101 }]]).state;
  state = run([[1002, { type: 'ready', pid: 101 }], [1002 + DEFAULT_RESTART_POLICY.healthyAfterMs, { type: 'exited', pid: 101, code: 1, signal: null }]], state).state;
  assert.equal(state.slots[0]!.consecutiveCrashes, 1);
  assert.equal(state.slots[0]!.backoffUntil, null);
});

test('exitCause names requested stops, signals and codes', () => {
  assert.equal(exitCause(true, 0, null), 'requested');
  assert.equal(exitCause(false, null, 'SIGSEGV'), 'signal:SIGSEGV');
  assert.equal(exitCause(false, 1, null), 'code:1');
});

test('with a standby configured: a standby starts once a server serves, and takes over a crash at once', () => {
  const up = run(serving, INITIAL_STATE, true);
  assert.deepEqual(of(up.actions, 'spawn'), [{ type: 'spawn', id: 1, slot: 0, handover: false, standby: false }, { type: 'spawn', id: 2, slot: null, handover: false, standby: true }]);
  const waiting = run([[60, { type: 'spawned', id: 2, pid: 200 }], [300, { type: 'standby-ready', pid: 200 }]], up.state, true);
  assert.deepEqual(waiting.state.procs.map((p) => [p.pid, p.role, p.standbyReady]), [[100, 'serving', false], [200, 'standby', true]]);
  const crash = run([[1000, { type: 'exited', pid: 100, code: null, signal: 'SIGKILL' }]], waiting.state, true);
  assert.deepEqual(of(crash.actions, 'promote'), [{ type: 'promote', pid: 200, slot: 0 }]);
  assert.equal(of(crash.actions, 'spawn').length, 0, 'no cold start while a standby waits');
  const promoted = run([[1010, { type: 'ready', pid: 200 }]], crash.state, true);
  assert.deepEqual(of(promoted.actions, 'spawn'), [{ type: 'spawn', id: 3, slot: null, handover: false, standby: true }], 'a new standby once the promoted one serves');
});

test('a standby that dies is no crash of the service and is not respawned in a loop', () => {
  const waiting = run([...serving, [60, { type: 'spawned', id: 2, pid: 200 }], [300, { type: 'standby-ready', pid: 200 }]], INITIAL_STATE, true);
  const died = run([[400, { type: 'exited', pid: 200, code: 6, signal: null }]], waiting.state, true);
  assert.equal(of(died.actions, 'spawn').length, 0);
  assert.deepEqual(died.state.slots[0]!.deaths, waiting.state.slots[0]!.deaths, 'not counted by the restart policy');
  assert.deepEqual(died.state.procs.map((p) => p.role), ['serving']);
});

test('a server that dies while the standby is still loading is replaced by it once it is ready', () => {
  const loading = run([...serving, [60, { type: 'spawned', id: 2, pid: 200 }]], INITIAL_STATE, true);
  const crash = run([[100, { type: 'exited', pid: 100, code: 1, signal: null }]], loading.state, true);
  const coldStarts = of(crash.actions, 'spawn');
  assert.equal(coldStarts.length, 1, 'a cold start begins at once');
  const ready = run([[150, { type: 'standby-ready', pid: 200 }]], crash.state, true);
  assert.equal(of(ready.actions, 'promote').length, 0, 'the cold start is already under way: the standby keeps waiting');
});

test('stop and graceful restart also stop the standby', () => {
  const waiting = run([...serving, [60, { type: 'spawned', id: 2, pid: 200 }], [300, { type: 'standby-ready', pid: 200 }]], INITIAL_STATE, true);
  const stopped = run([[1000, { type: 'stop', graceful: true }]], waiting.state, true);
  assert.deepEqual(of(stopped.actions, 'signal').map((a) => a.pid).sort(), [100, 200]);
  const restarted = run([[1000, { type: 'restart' }]], waiting.state, true);
  assert.deepEqual(of(restarted.actions, 'signal').map((a) => [a.pid, a.signal]), [[200, 'SIGTERM']]);
  assert.deepEqual(of(restarted.actions, 'spawn'), [{ type: 'spawn', id: 3, slot: 0, handover: true, standby: false }]);
});
