import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideNotify, INITIAL_SERVICE_STATUS, type NotifyAction, type ServiceEvent, type ServiceStatus } from '../src/systemd/service-status.js';

function run(events: ServiceEvent[], from: ServiceStatus = INITIAL_SERVICE_STATUS): { state: ServiceStatus; actions: NotifyAction[] } {
  let state = from;
  const actions: NotifyAction[] = [];
  for (const e of events) {
    const d = decideNotify(state, e);
    state = d.state;
    actions.push(...d.actions);
  }
  return { state, actions };
}

const serving = (pid: number): ServiceEvent => ({ type: 'serving', pid });
const cycle: ServiceEvent = { type: 'cycle-end' };
const notWatchdog = (a: NotifyAction[]) => a.filter((x) => x.type !== 'watchdog');

test('READY=1 only once the first server answers, with its PID in STATUS=', () => {
  const start = run([cycle, cycle]);
  assert.deepEqual(notWatchdog(start.actions), [], 'no READY while nothing answers');
  const { state, actions } = run([serving(10), cycle, serving(10), cycle], start.state);
  assert.deepEqual(notWatchdog(actions), [{ type: 'ready', status: 'serving (server PID 10)' }]);
  assert.equal(state.phase, 'running');
});

test('every completed cycle feeds the watchdog, serving or not', () => {
  const { actions } = run([cycle, serving(10), cycle, cycle, cycle]);
  assert.equal(actions.filter((a) => a.type === 'watchdog').length, 4);
});

test('STATUS= changes when serving stops, when another server answers, and when serving resumes', () => {
  const { actions } = run([serving(10), cycle, cycle, cycle, serving(11), cycle, serving(12), cycle]);
  assert.deepEqual(notWatchdog(actions), [
    { type: 'ready', status: 'serving (server PID 10)' },
    { type: 'status', status: 'not serving: waiting for a server (last PID 10)' },
    { type: 'status', status: 'serving (server PID 11)' },
    { type: 'status', status: 'serving (server PID 12)' },
  ]);
});

test('a reload is RELOADING=1 then READY=1 with the current status', () => {
  const { state, actions } = run([serving(10), cycle, { type: 'reload-begin' }, serving(10), cycle, { type: 'reload-end' }]);
  assert.deepEqual(notWatchdog(actions).slice(1), [
    { type: 'reloading', status: 'reloading configuration' },
    { type: 'ready', status: 'serving (server PID 10)' },
  ]);
  assert.equal(state.phase, 'running');
});

test('a reload before READY=1 tells systemd nothing, and READY=1 still waits for a server', () => {
  const { actions } = run([{ type: 'reload-begin' }, { type: 'reload-end' }, cycle, serving(10)]);
  assert.deepEqual(notWatchdog(actions), [{ type: 'ready', status: 'serving (server PID 10)' }]);
});

test('a server change during a reload is reported by the READY=1 that ends it', () => {
  const { actions } = run([serving(10), { type: 'reload-begin' }, serving(11), { type: 'reload-end' }]);
  assert.deepEqual(notWatchdog(actions).at(-1), { type: 'ready', status: 'serving (server PID 11)' });
  assert.equal(notWatchdog(actions).filter((a) => a.type === 'status').length, 0);
});

test('STOPPING=1 once; after it nothing else is sent', () => {
  const { actions } = run([serving(10), { type: 'stop-begin' }, cycle, serving(11), { type: 'reload-begin' }, { type: 'stop-begin' }]);
  assert.deepEqual(notWatchdog(actions), [
    { type: 'ready', status: 'serving (server PID 10)' },
    { type: 'stopping', status: 'stopping: draining the server' },
  ]);
  assert.equal(actions.filter((a) => a.type === 'watchdog').length, 0);
});

test('a stop before READY=1 still says STOPPING=1', () => {
  assert.deepEqual(run([cycle, { type: 'stop-begin' }]).actions.at(-1), { type: 'stopping', status: 'stopping: draining the server' });
});
