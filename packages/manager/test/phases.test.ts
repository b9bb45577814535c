import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RESTART_POLICY } from '@tripod/core';
import { PHASES, TRANSITIONS, poolPhaseOf, slotPhaseOf, type Phase, type TableEvent } from '../src/phases.js';

const phaseOf = (s: SupervisorState) => slotPhaseOf(s, 0);
import { decide, INITIAL_STATE, type DecideContext, type SupervisorEvent, type SupervisorState } from '../src/supervisor.js';

const ctx = (now: number): DecideContext => ({
  now, random: 0.5, launchTimeoutMs: 10_000, drainTimeoutMs: 5000, killGraceMs: 1000, policy: { ...DEFAULT_RESTART_POLICY, jitter: 0 }, standby: false, restartBatch: 1, minUptimeMs: 1000, standbySettleMs: 0,
});

function feed(state: SupervisorState, events: SupervisorEvent[], at = 0): SupervisorState {
  for (const [i, event] of events.entries()) state = decide(state, event, ctx(at + i)).state;
  return state;
}

/** The pid of the newest server of `state` (the one the table's events are about). */
const newest = (s: SupervisorState) => [...s.procs].reverse().find((p) => p.role !== 'standby' && p.pid !== null)!;

const spawnedEvents = (s: SupervisorState): SupervisorEvent[] => s.procs.filter((p) => p.pid === null).map((p) => ({ type: 'spawned', id: p.id, pid: 100 + p.id }));
const settle = (s: SupervisorState, at = 0) => feed(s, spawnedEvents(s), at);

/** A state in each phase, built only through decide(). */
function statesIn(phase: Phase): SupervisorState {
  const starting = settle(feed(INITIAL_STATE, [{ type: 'start' }]));
  const serving = feed(starting, [{ type: 'ready', pid: newest(starting).pid! }], 10);
  switch (phase) {
    case 'stopped': return INITIAL_STATE;
    case 'starting': return starting;
    case 'serving': return serving;
    case 'replacing': return settle(feed(serving, [{ type: 'restart' }], 20), 30);
    case 'stopping': return feed(serving, [{ type: 'stop', graceful: true }], 20);
    case 'backing-off': {
      // Two crashes in a row, the second within the healthy interval.
      const again = settle(feed(serving, [{ type: 'exited', pid: newest(serving).pid!, code: 1, signal: null }], 20), 30);
      return feed(again, [{ type: 'exited', pid: newest(again).pid!, code: 1, signal: null }], 40);
    }
    case 'given-up': return feed(serving, [{ type: 'exited', pid: newest(serving).pid!, code: DEFAULT_RESTART_POLICY.noRestartCode, signal: null }], 20);
  }
}

/** Applies a table event to `state`, as the runner would deliver it. */
function apply(state: SupervisorState, event: TableEvent): SupervisorState {
  const pid = newest(state)?.pid ?? 0;
  const at = 1000;
  switch (event) {
    case 'start': return settle(feed(state, [{ type: 'start' }], at), at + 1);
    case 'stop': return feed(state, [{ type: 'stop', graceful: true }], at);
    case 'restart': return settle(feed(state, [{ type: 'restart' }], at), at + 1);
    case 'ready': return feed(state, [{ type: 'ready', pid }], at);
    case 'crash': return settle(feed(state, [{ type: 'exited', pid, code: 1, signal: null }], at), at + 1);
    case 'no-restart': return feed(state, [{ type: 'exited', pid, code: DEFAULT_RESTART_POLICY.noRestartCode, signal: null }], at);
    case 'backoff-over': return settle(feed(state, [{ type: 'timer', name: 'backoff:0' }], at), at + 1);
    case 'requested-exit': return feed(state, state.procs.filter((p) => p.pid !== null).map((p) => ({ type: 'exited', pid: p.pid!, code: 0, signal: null })), at);
    case 'crash-served': {
      // A first crash soon after ready, restarted at once; its successor serves the minimum uptime, then crashes.
      const once = settle(feed(state, [{ type: 'exited', pid, code: 1, signal: null }], at), at + 1);
      const again = feed(once, [{ type: 'ready', pid: newest(once).pid! }], at + 2);
      return settle(feed(again, [{ type: 'exited', pid: newest(again).pid!, code: 1, signal: null }], at + 2 + 1000), at + 1003);
    }
    case 'crash-again': {
      // A first crash recovered from (restarted at once), then the crash the event names.
      const once = settle(feed(state, [{ type: 'exited', pid, code: 1, signal: null }], at), at + 1);
      const again = phaseOf(state) === 'serving' ? feed(once, [{ type: 'ready', pid: newest(once).pid! }], at + 2) : once;
      return feed(again, [{ type: 'exited', pid: newest(again).pid!, code: 1, signal: null }], at + 3);
    }
  }
}

test('each phase is reachable and named by phaseOf', () => {
  for (const phase of PHASES) assert.equal(phaseOf(statesIn(phase)), phase, phase);
});

for (const [from, row] of Object.entries(TRANSITIONS) as [Phase, Partial<Record<TableEvent, Phase>>][]) {
  for (const [event, to] of Object.entries(row) as [TableEvent, Phase][]) {
    test(`${from} × ${event} → ${to}`, () => {
      assert.equal(phaseOf(apply(statesIn(from), event)), to);
    });
  }
}

test('the pool phase: serving when every slot serves, degraded when some do, down when none does', () => {
  const c = ctx(0);
  let s = decide(INITIAL_STATE, { type: 'start', size: 2 }, c).state;
  s = feed(s, spawnedEvents(s));
  assert.equal(poolPhaseOf(s), 'starting');
  s = feed(s, [{ type: 'ready', pid: 101 }], 10);
  assert.equal(poolPhaseOf(s), 'degraded');
  s = feed(s, [{ type: 'ready', pid: 102 }], 20);
  assert.equal(poolPhaseOf(s), 'serving');
  s = feed(s, [{ type: 'exited', pid: 101, code: 1, signal: null }, { type: 'exited', pid: 102, code: 1, signal: null }], 30);
  assert.equal(poolPhaseOf(s), 'starting');
  s = feed(s, [{ type: 'stop', graceful: true }], 40);
  assert.equal(poolPhaseOf(s), 'stopping');
});
