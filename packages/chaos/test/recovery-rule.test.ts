import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWhole, missingForRecovery, type HealthView, type HolderView } from '../src/analysis/recovery-rule.js';

const h = (pid: number, ppid: number, state = 'S', starttime = pid * 10): HolderView => ({ pid, starttime, state, ppid });
const whole: HealthView = { holders: { cop: h(10, 1), manager: h(20, 10), server: h(30, 20) }, heartbeatPid: 30 };

test('whole: every tier held by a running process, the server a child of the manager, the heartbeat from the server.lock holder', () => {
  assert.equal(isWhole(whole), true);
  assert.equal(isWhole({ ...whole, heartbeatPid: null }), false);
  assert.equal(isWhole({ ...whole, heartbeatPid: 31 }), false);
  assert.equal(isWhole({ ...whole, holders: { ...whole.holders, cop: null } }), false);
  assert.equal(isWhole({ ...whole, holders: { ...whole.holders, manager: h(20, 10, 'T') } }), false);
  // A server left over from a dead manager is not the instance repaired.
  assert.equal(isWhole({ ...whole, holders: { ...whole.holders, manager: h(21, 10) } }), false);
});

test('after a kill the target must have been replaced', () => {
  const fault = { kind: 'SIGKILL' as const, targets: [{ tier: 'server' as const, pid: 30, starttime: 300 }], servedBefore: 30, holdDone: true };
  assert.deepEqual(missingForRecovery(whole, fault), ['server 30 not replaced']);
  const replaced: HealthView = { holders: { ...whole.holders, server: h(31, 20) }, heartbeatPid: 31 };
  assert.deepEqual(missingForRecovery(replaced, fault), []);
  // Same PID reused by a new process (another starttime) counts as replaced.
  const reused: HealthView = { holders: { ...whole.holders, server: h(30, 20, 'S', 999) }, heartbeatPid: 30 };
  assert.deepEqual(missingForRecovery(reused, fault), []);
});

test('after SIGSTOP the same process may resume, but only once the hold is over', () => {
  const fault = { kind: 'SIGSTOP' as const, targets: [{ tier: 'manager' as const, pid: 20, starttime: 200 }], servedBefore: 30, holdDone: false };
  assert.deepEqual(missingForRecovery(whole, fault), ['SIGSTOP still held']);
  assert.deepEqual(missingForRecovery(whole, { ...fault, holdDone: true }), []);
});

test('after SIGUSR1 a new server must answer', () => {
  const fault = { kind: 'SIGUSR1' as const, targets: [{ tier: 'cop' as const, pid: 10, starttime: 100 }], servedBefore: 30, holdDone: true };
  assert.deepEqual(missingForRecovery(whole, fault), ['no new server yet']);
  assert.deepEqual(missingForRecovery({ holders: { ...whole.holders, server: h(32, 20) }, heartbeatPid: 32 }, fault), []);
});
