import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RESTART_POLICY } from '@tripod/core';
import { poolPhaseOf, slotPhaseOf } from '../src/phases.js';
import { decide, INITIAL_STATE, type Action, type DecideContext, type SupervisorEvent, type SupervisorState } from '../src/supervisor.js';

const ctx = (now: number, over: Partial<DecideContext> = {}): DecideContext => ({
  now, random: 0.5, launchTimeoutMs: 10_000, drainTimeoutMs: 5000, killGraceMs: 1000,
  policy: { ...DEFAULT_RESTART_POLICY, jitter: 0 }, standby: true, restartBatch: 1, minUptimeMs: 1000, standbySettleMs: 0, ...over,
});

/** A small world: feeds events, answers every spawn with a pid (id + 100) at once, records actions. */
class World {
  state: SupervisorState = INITIAL_STATE;
  actions: Action[] = [];
  constructor(private readonly over: Partial<DecideContext> = {}) {}
  send(now: number, event: SupervisorEvent): Action[] {
    const d = decide(this.state, event, ctx(now, this.over));
    this.state = d.state;
    const acts = [...d.actions];
    for (const a of d.actions) if (a.type === 'spawn') acts.push(...this.send(now, { type: 'spawned', id: a.id, pid: a.id + 100 }));
    this.actions.push(...d.actions);
    return acts;
  }
  pid(slot: number, role = 'serving') {
    return this.state.procs.find((p) => p.slot === slot && p.role === role)?.pid ?? null;
  }
  standby() {
    return this.state.procs.find((p) => p.role === 'standby')!;
  }
}

const of = <T extends Action['type']>(actions: Action[], type: T) => actions.filter((a): a is Extract<Action, { type: T }> => a.type === type);

/** A pool of `size` serving servers and a ready standby, at t = 100. */
function servingPool(size: number, over: Partial<DecideContext> = {}): World {
  const w = new World(over);
  w.send(0, { type: 'start', size });
  for (let slot = 0; slot < size; slot++) w.send(10, { type: 'ready', pid: w.pid(slot, 'starting')! });
  if (over.standby !== false) w.send(100, { type: 'standby-ready', pid: w.standby().pid! });
  return w;
}

test('start spawns one server per slot; the standby comes once one serves', () => {
  const w = new World();
  const acts = w.send(0, { type: 'start', size: 3 });
  assert.deepEqual(of(acts, 'spawn').map((a) => a.slot), [0, 1, 2]);
  w.send(10, { type: 'ready', pid: w.pid(0, 'starting')! });
  assert.equal(w.standby().slot, null);
  assert.equal(poolPhaseOf(w.state), 'degraded');
});

test('a server that served is replaced by the ready standby at once, every time: no backoff for kill after kill', () => {
  const w = servingPool(2);
  for (let i = 0; i < 5; i++) {
    const now = 3000 * (i + 1);
    const victim = w.pid(1)!;
    const acts = w.send(now, { type: 'exited', pid: victim, code: null, signal: 'SIGKILL' });
    assert.deepEqual(of(acts, 'promote').map((a) => a.slot), [1], `kill ${i + 1}: the standby takes slot 1`);
    assert.equal(of(acts, 'arm').filter((a) => a.name.startsWith('backoff')).length, 0, `kill ${i + 1}: no backoff`);
    w.send(now + 15, { type: 'ready', pid: w.pid(1, 'starting')! });
    w.send(now + 300, { type: 'standby-ready', pid: w.standby().pid! });
  }
  assert.equal(w.state.slots[1]!.restarts, 5);
  assert.equal(w.state.slots[0]!.restarts, 0, 'the other slot is untouched');
});

test('a slot that dies before ready backs off on its own; the other slot and the pool keep serving', () => {
  const w = servingPool(2, { standby: false });
  w.send(1000, { type: 'exited', pid: w.pid(1)!, code: 1, signal: null }); // served < min uptime: a crash, restarted at once
  const second = w.send(1100, { type: 'exited', pid: w.pid(1, 'starting')!, code: 1, signal: null });
  assert.deepEqual(of(second, 'arm').filter((a) => a.name.startsWith('backoff')), [{ type: 'arm', name: 'backoff:1', ms: DEFAULT_RESTART_POLICY.baseDelayMs }]);
  assert.equal(slotPhaseOf(w.state, 1), 'backing-off');
  assert.equal(slotPhaseOf(w.state, 0), 'serving');
  assert.equal(poolPhaseOf(w.state), 'degraded');
  const fired = w.send(1300, { type: 'timer', name: 'backoff:1' });
  assert.deepEqual(of(fired, 'spawn').map((a) => a.slot), [1]);
});

test('the no-restart code gives up one slot; the pool gives up only when every slot has', () => {
  const w = servingPool(2, { standby: false });
  w.send(5000, { type: 'exited', pid: w.pid(0)!, code: 125, signal: null });
  assert.equal(slotPhaseOf(w.state, 0), 'given-up');
  assert.equal(poolPhaseOf(w.state), 'degraded');
  w.send(6000, { type: 'exited', pid: w.pid(1)!, code: 125, signal: null });
  assert.equal(poolPhaseOf(w.state), 'given-up');
});

test('rolling restart: one slot at a time, each old server drains only once its successor is ready', () => {
  const w = servingPool(3);
  const old = [w.pid(0)!, w.pid(1)!, w.pid(2)!];
  const asked = w.send(1000, { type: 'restart' });
  assert.deepEqual(of(asked, 'spawn').map((a) => a.slot), [0], 'one successor (batch 1)');
  assert.deepEqual(of(asked, 'signal').map((a) => a.pid), [w.state.procs.find((p) => p.role === 'draining')!.pid], 'only the old standby is drained');
  for (let slot = 0; slot < 3; slot++) {
    const successor = w.pid(slot, 'starting')!;
    assert.ok(successor !== null, `slot ${slot} has a successor`);
    assert.equal(w.pid(slot), old[slot], 'the old server still serves');
    const ready = w.send(1100 + slot * 100, { type: 'ready', pid: successor });
    assert.ok(of(ready, 'signal').some((a) => a.pid === old[slot] && a.signal === 'SIGTERM'), `old server of slot ${slot} drains`);
  }
  assert.equal(w.state.rolling, null, 'done');
  assert.equal(of(w.actions, 'spawn').filter((a) => a.standby).length, 1, 'no new standby while old servers drain');
  w.send(1500, { type: 'exited', pid: old[0]!, code: 0, signal: null });
  w.send(1510, { type: 'exited', pid: old[1]!, code: 0, signal: null });
  assert.equal(of(w.actions, 'spawn').filter((a) => a.standby).length, 1, 'nor while the last one drains');
  const last = w.send(1520, { type: 'exited', pid: old[2]!, code: 0, signal: null });
  assert.equal(of(last, 'spawn').filter((a) => a.standby).length, 1, 'a fresh standby once the last drain ended');
});

test('rolling restart in batches of 2 keeps two successors starting at once', () => {
  const w = servingPool(4, { restartBatch: 2 });
  const asked = w.send(1000, { type: 'restart' });
  assert.deepEqual(of(asked, 'spawn').map((a) => a.slot), [0, 1]);
});

test('scale up fills new slots (standby first); scale down drains the dropped slots only', () => {
  const w = servingPool(2);
  const up = w.send(1000, { type: 'scale', size: 4 });
  assert.deepEqual(of(up, 'promote').map((a) => a.slot), [2]);
  assert.deepEqual(of(up, 'spawn').filter((a) => !a.standby).map((a) => a.slot), [3]);
  w.send(1010, { type: 'ready', pid: w.pid(2, 'starting')! });
  w.send(1200, { type: 'ready', pid: w.pid(3, 'starting')! });
  const keep = [w.pid(0), w.pid(1)];
  const dropped = [w.pid(2), w.pid(3)];
  const down = w.send(2000, { type: 'scale', size: 2 });
  assert.deepEqual(of(down, 'signal').map((a) => a.pid).sort(), dropped.sort());
  assert.deepEqual([w.pid(0), w.pid(1)], keep);
  assert.equal(w.state.slots.length, 2);
  const gone = w.send(2100, { type: 'exited', pid: dropped[0]!, code: 0, signal: null });
  assert.equal(of(gone, 'spawn').length + of(gone, 'promote').length, 0, 'a dropped slot is not refilled');
});

test('over the memory limit: the standby takes the slot first, the old server drains once it is ready', () => {
  const w = servingPool(2);
  const fat = w.pid(1)!;
  const acts = w.send(1000, { type: 'over-memory', pid: fat, rss: 999 });
  assert.deepEqual(of(acts, 'promote').map((a) => a.slot), [1]);
  assert.equal(of(acts, 'signal').length, 0, 'the old one serves on');
  assert.equal(w.state.slots[1]!.memoryReplacements, 1);
  const again = w.send(1001, { type: 'over-memory', pid: fat, rss: 999 });
  assert.equal(again.length, 0, 'once per replacement');
  const ready = w.send(1020, { type: 'ready', pid: w.pid(1, 'starting')! });
  assert.ok(of(ready, 'signal').some((a) => a.pid === fat && a.signal === 'SIGTERM'));
});

test('a wedged server (server-replace from the cop): its successor is promoted at once, its death then counts no crash', () => {
  const w = servingPool(2);
  const frozen = w.pid(1)!;
  const acts = w.send(1000, { type: 'wedged', pid: frozen, reason: 'liveness socket silent for 2010 ms' });
  assert.deepEqual(of(acts, 'promote').map((a) => a.slot), [1], 'the standby takes the slot before the death');
  assert.equal(of(acts, 'signal').length, 0, 'the cop kills it; the manager only drains it once the successor is ready');
  assert.equal(w.state.slots[1]!.restarts, 1);
  assert.equal(w.send(1001, { type: 'wedged', pid: frozen, reason: 'again' }).length, 0, 'once per replacement');
  const successor = w.pid(1, 'starting')!;
  const ready = w.send(1020, { type: 'ready', pid: successor });
  assert.ok(of(ready, 'signal').some((a) => a.pid === frozen && a.signal === 'SIGTERM'));
  const died = w.send(2500, { type: 'exited', pid: frozen, code: null, signal: 'SIGKILL' });
  assert.equal(of(died, 'spawn').filter((a) => !a.standby).length + of(died, 'promote').length, 0, 'nothing more to start for the slot');
  assert.equal(w.state.slots[1]!.consecutiveCrashes, 0);
  assert.equal(w.state.slots[1]!.restarts, 1);
  assert.equal(w.pid(1), successor);
});

test('wedged: a server not serving, or unknown, is left to the cop (no successor)', () => {
  const w = servingPool(2);
  assert.equal(w.send(1000, { type: 'wedged', pid: 999_999, reason: 'x' }).length, 0);
});

test('several servers killed at once: the standby takes one slot, new processes the others, none backs off', () => {
  const w = servingPool(4);
  const victims = [w.pid(0)!, w.pid(2)!, w.pid(3)!];
  const acts = victims.flatMap((pid) => w.send(5000, { type: 'exited', pid, code: null, signal: 'SIGKILL' }));
  assert.deepEqual(of(acts, 'promote').map((a) => a.slot), [0]);
  assert.deepEqual(of(acts, 'spawn').filter((a) => !a.standby).map((a) => a.slot).sort(), [2, 3]);
  assert.equal(of(acts, 'arm').filter((a) => a.name.startsWith('backoff')).length, 0);
  assert.equal(slotPhaseOf(w.state, 1), 'serving');
});

test('after a rolling restart the fresh standby waits standbySettleMs past the roll, and for the last drain', () => {
  const w = servingPool(1, { standbySettleMs: 1000 });
  const old = w.pid(0)!;
  w.send(1000, { type: 'restart' });
  const done = w.send(1100, { type: 'ready', pid: w.pid(0, 'starting')! });
  assert.equal(w.state.rolling, null, 'done');
  assert.deepEqual(of(done, 'arm').filter((a) => a.name === 'standby-settle').map((a) => a.ms), [1000]);
  assert.equal(of(w.send(1200, { type: 'exited', pid: old, code: 0, signal: null }), 'spawn').length, 0, 'the last drain ended, but the successor settles');
  assert.equal(of(w.send(2100, { type: 'timer', name: 'standby-settle' }), 'spawn').filter((a) => a.standby).length, 1, 'then the standby boots');

  const slow = servingPool(1, { standbySettleMs: 1000 });
  const slowOld = slow.pid(0)!;
  slow.send(1000, { type: 'restart' });
  slow.send(1100, { type: 'ready', pid: slow.pid(0, 'starting')! });
  assert.equal(of(slow.send(2100, { type: 'timer', name: 'standby-settle' }), 'spawn').length, 0, 'settled, but the old server still drains');
  assert.equal(of(slow.send(3000, { type: 'exited', pid: slowOld, code: 0, signal: null }), 'spawn').filter((a) => a.standby).length, 1, 'the standby boots when the drain ends');
});
