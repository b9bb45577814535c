import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWhole, missingForRepair, missingForService, wholeMissing, type HealthView, type HolderView } from '../src/analysis/recovery-rule.js';

const h = (pid: number, ppid: number, state = 'S', starttime = pid * 10): HolderView => ({ pid, starttime, state, ppid });
const whole: HealthView = { holders: { cop: h(10, 1), manager: h(20, 10), server: h(30, 20) }, heartbeatPid: 30 };

test('whole: every tier held by a running process, the server a child of the manager, the heartbeat from the server.lock holder', () => {
  assert.equal(isWhole(whole), true);
  assert.equal(isWhole({ ...whole, heartbeatPid: null }), false);
  assert.equal(isWhole({ ...whole, heartbeatPid: 31 }), false);
  assert.deepEqual(wholeMissing({ ...whole, heartbeatPid: 31 }), ['heartbeat answered by 31, not by the server.lock holder 30']);
  assert.deepEqual(wholeMissing({ ...whole, holders: { ...whole.holders, server: null } }), ['no server']);
  assert.equal(isWhole({ ...whole, holders: { ...whole.holders, cop: null } }), false);
  assert.equal(isWhole({ ...whole, holders: { ...whole.holders, manager: h(20, 10, 'T') } }), false);
  // A server left over from a dead manager is not the instance repaired.
  assert.equal(isWhole({ ...whole, holders: { ...whole.holders, manager: h(21, 10) } }), false);
});

test('after a server kill the service is back once a new server answers; repaired when the instance is whole', () => {
  const fault = { kind: 'SIGKILL' as const, targets: [{ tier: 'server' as const, pid: 30, starttime: 300 }], servedBefore: 30, holdDone: true };
  assert.deepEqual(missingForService(whole, fault), ['server 30 still answering']);
  assert.deepEqual(missingForRepair(whole, fault), ['server 30 still answering', 'server 30 not replaced']);
  // A new server answers while the lock is still free: the service is back, the repair is not.
  const lockFree: HealthView = { holders: { ...whole.holders, server: null }, heartbeatPid: 31 };
  assert.deepEqual(missingForService(lockFree, fault), []);
  assert.deepEqual(missingForRepair(lockFree, fault), ['no server']);
  const replaced: HealthView = { holders: { ...whole.holders, server: h(31, 20) }, heartbeatPid: 31 };
  assert.deepEqual(missingForService(replaced, fault), []);
  assert.deepEqual(missingForRepair(replaced, fault), []);
  // The same PID reused by a new process (another starttime) counts as replaced for the lock holder.
  const reused: HealthView = { holders: { ...whole.holders, server: h(30, 20, 'S', 999) }, heartbeatPid: 31 };
  assert.ok(!missingForRepair(reused, fault).includes('server 30 not replaced'));
  const silent: HealthView = { ...replaced, heartbeatPid: null };
  assert.deepEqual(missingForService(silent, fault), ['no server answering the heartbeat']);
});

test('after a manager kill the service may never have gone; repair waits for the new manager and its server', () => {
  const fault = { kind: 'SIGKILL' as const, targets: [{ tier: 'manager' as const, pid: 20, starttime: 200 }], servedBefore: 30, holdDone: true };
  // The old server still serves: the service is there, the repair is not.
  const strayServing: HealthView = { holders: { ...whole.holders, manager: null }, heartbeatPid: 30 };
  assert.deepEqual(missingForService(strayServing, fault), []);
  assert.deepEqual(missingForRepair(strayServing, fault), ['no manager']);
  const newManagerOldServer: HealthView = { holders: { ...whole.holders, manager: h(21, 10) }, heartbeatPid: 30 };
  assert.deepEqual(missingForRepair(newManagerOldServer, fault), ['server 30 not a child of manager 21']);
  assert.deepEqual(missingForRepair({ holders: { cop: h(10, 1), manager: h(21, 10), server: h(31, 21) }, heartbeatPid: 31 }, fault), []);
  assert.deepEqual(missingForRepair(whole, fault), ['manager 20 not replaced']);
});

test('after SIGSTOP the same process may resume, but only once the hold is over', () => {
  const fault = { kind: 'SIGSTOP' as const, targets: [{ tier: 'manager' as const, pid: 20, starttime: 200 }], servedBefore: 30, holdDone: false };
  assert.deepEqual(missingForService(whole, fault), ['SIGSTOP still held']);
  assert.deepEqual(missingForRepair(whole, { ...fault, holdDone: true }), []);
  const stopped: HealthView = { holders: { ...whole.holders, manager: h(20, 10, 'T') }, heartbeatPid: 30 };
  assert.deepEqual(missingForRepair(stopped, { ...fault, holdDone: true }), ['manager 20 stopped']);
});

test('after SIGUSR1 a new server must answer', () => {
  const fault = { kind: 'SIGUSR1' as const, targets: [{ tier: 'cop' as const, pid: 10, starttime: 100 }], servedBefore: 30, holdDone: true };
  assert.deepEqual(missingForService(whole, fault), ['no new server yet']);
  assert.deepEqual(missingForRepair({ holders: { ...whole.holders, server: h(32, 20) }, heartbeatPid: 32 }, fault), []);
});

test('a killed cop must be replaced (by the harness) before the fault is repaired', () => {
  const fault = { kind: 'SIGKILL' as const, targets: [{ tier: 'cop' as const, pid: 10, starttime: 100 }], servedBefore: 30, holdDone: true };
  assert.deepEqual(missingForService(whole, fault), []);
  assert.deepEqual(missingForRepair({ ...whole, holders: { ...whole.holders, cop: null } }, fault), ['no cop']);
  assert.deepEqual(missingForRepair({ ...whole, holders: { ...whole.holders, cop: h(11, 1) } }, fault), []);
});

test('a pool is whole when every slot is held by a running child of the manager and one of them answers', () => {
  const h = (pid: number, ppid = 20, state = 'S') => ({ pid, starttime: pid * 10, state, ppid });
  const holders = { cop: h(10, 1), manager: h(20, 10), server: h(30) };
  const pool = (...servers: (ReturnType<typeof h> | null)[]) => ({ size: 3, holders: servers });
  assert.deepEqual(wholeMissing({ holders, heartbeatPid: 32, pool: pool(h(30), h(31), h(32)) }), []);
  assert.deepEqual(wholeMissing({ holders, heartbeatPid: 30, pool: pool(h(30), null, h(32)) }), ['2 of 3 slots served']);
  assert.deepEqual(wholeMissing({ holders, heartbeatPid: 30, pool: pool(h(30), h(31, 20, 'T'), h(32)) }), ['2 of 3 slots served']);
  assert.deepEqual(wholeMissing({ holders, heartbeatPid: 99, pool: pool(h(30), h(31), h(32)) }), ['heartbeat answered by 99, no slot lock holder']);
  assert.deepEqual(wholeMissing({ holders, heartbeatPid: 31, pool: pool(h(30), h(31, 77), h(32)) }), ['server 31 not a child of manager 20']);
});

test('in a pool, a killed server of any slot still holding its lock is not replaced yet', () => {
  const h = (pid: number, ppid = 20) => ({ pid, starttime: pid * 10, state: 'S', ppid });
  const view = { holders: { cop: h(10, 1), manager: h(20, 10), server: h(30) }, heartbeatPid: 30, pool: { size: 2, holders: [h(30), h(31)] } };
  const fault = { kind: 'SIGTERM' as const, targets: [{ tier: 'server' as const, pid: 31, starttime: 310 }], servedBefore: 30, holdDone: true };
  assert.deepEqual(missingForRepair(view, fault), ['server 31 not replaced']);
});
