// The status document contracts (status.json, cop-status.json): valid, invalid, wrong version.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Parsed } from '../src/wire/check.js';
import { COP_STATUS_VERSION, parseCopStatus, type CopStatus } from '../src/wire/cop-status.js';
import { MANAGER_STATUS_VERSION, listenerText, parseManagerStatus, type ManagerStatus } from '../src/wire/manager-status.js';

const value = <T>(p: Parsed<T>): T => (p.ok ? p.value : assert.fail(`did not parse: ${p.error.message}`));
const error = <T>(p: Parsed<T>, code: string): string => {
  if (p.ok) return assert.fail(`parsed: ${JSON.stringify(p.value)}`);
  assert.equal(p.error.code, code);
  return p.error.message;
};
/** What a reader sees: the document after a trip through JSON (a file or the socket). */
const wire = (doc: unknown): unknown => JSON.parse(JSON.stringify(doc));

const MANAGER: ManagerStatus = {
  version: MANAGER_STATUS_VERSION,
  manager: { pid: 20, startedAt: 1000 },
  writtenAt: 5000,
  goal: 'run',
  serverExpected: true,
  size: 1,
  phase: 'serving',
  slots: [],
  rollingRestart: null,
  memoryReplacements: 0,
  servers: [
    { pid: 30, role: 'serving', slot: 0, startedAt: 2000, readyAt: 2100, handover: false, standbyReady: false },
    { pid: null, role: 'starting', slot: 0, startedAt: 4000, readyAt: null, handover: true, standbyReady: false },
  ],
  restarts: 1,
  consecutiveCrashes: 0,
  backoffUntil: null,
  stayDown: null,
  lastExit: { pid: 29, code: null, signal: 'SIGKILL', at: 1900, requested: false },
  exitsByCause: { 'signal:SIGKILL': 1 },
  lastDrain: { pid: 28, outcome: 'success', openConnections: 0, ms: 12, at: 1500 },
  lastOutage: { from: 1900, to: 2100 },
  listeners: [{ host: '127.0.0.1', port: 8080, queued: 0, backlog: 511 }, { host: '::1', port: 8081, queued: null, backlog: 511 }],
  backlog: 511,
};

const COP: CopStatus = {
  version: COP_STATUS_VERSION,
  cop: { pid: 10, startedAt: 900 },
  managerStarts: 2,
  managerRestarts: 1,
  kills: { server: { heartbeat: 1 } },
  lastPing: { ms: 3, at: 4900 },
  lastServerProbe: null,
  firstReadyAt: 2100,
  lastReload: { at: 3000, applied: ['logLevel'], needsRestart: [], error: null },
  managerLastExit: { pid: null, code: 1, signal: null, at: 1000 },
  managerBackoffUntil: null,
  server: {
    pid: 20, verdict: 'busy', lastAnswerAt: 4900, livenessMs: 1, heartbeatFailures: 2,
    liveness: { version: 1, pid: 20, token: 'secret', progressAgeMs: 12.5, turns: 80, lagMs: 640, inflight: 9, started: 100, completed: 91, oldestInflightMs: 1500 },
  },
  slots: [
    { slot: 0, pid: 20, verdict: 'busy', lastAnswerAt: 4900, livenessMs: 1, heartbeatFailures: 2, liveness: null },
    { slot: 1, pid: 21, verdict: 'wedged', lastAnswerAt: 2900, livenessMs: null, heartbeatFailures: 0, liveness: null },
  ],
  foreignLock: { tier: 'manager', holder: 'PID 77 (sleep 1000)', since: 950 },
};

test('a cop status written before foreignLock existed reads as none', () => {
  const { foreignLock: _f, ...older } = COP;
  assert.equal(value(parseCopStatus(wire(older))).foreignLock, null);
});

test('a manager status document survives the trip through JSON', () => {
  assert.deepEqual(value(parseManagerStatus(wire(MANAGER))), MANAGER);
});

test('a manager status off the contract is refused, naming the field', () => {
  assert.match(error(parseManagerStatus(wire({ ...MANAGER, listeners: [{ listener: '127.0.0.1:8080', queued: 0, backlog: 511 }] })), 'ERR_WIRE_INVALID'), /manager status\.listeners\[0\]\.host: expected a string, got nothing/);
  assert.match(error(parseManagerStatus(wire({ ...MANAGER, goal: 'pause' })), 'ERR_WIRE_INVALID'), /\.goal: expected "run" or "stop"/);
  assert.match(error(parseManagerStatus(wire({ ...MANAGER, servers: [{ ...MANAGER.servers[0], role: 'zombie' }] })), 'ERR_WIRE_INVALID'), /\.servers\[0\]\.role/);
  assert.match(error(parseManagerStatus(wire({ ...MANAGER, exitsByCause: { requested: 'two' } })), 'ERR_WIRE_INVALID'), /\.exitsByCause\.requested: expected an integer/);
  error(parseManagerStatus([]), 'ERR_WIRE_VERSION');
});

test('a manager status of another version is refused as such, not misread', () => {
  assert.match(error(parseManagerStatus(wire({ ...MANAGER, version: MANAGER_STATUS_VERSION + 1 })), 'ERR_WIRE_VERSION'), /version 3 is not the version 2/);
  const { version: _v, ...unversioned } = MANAGER;
  assert.match(error(parseManagerStatus(wire(unversioned)), 'ERR_WIRE_VERSION'), /version missing/);
});

test('a cop status document survives the trip through JSON', () => {
  assert.deepEqual(value(parseCopStatus(wire(COP))), COP);
});

test('a cop status off the contract is refused, naming the field', () => {
  assert.match(error(parseCopStatus(wire({ ...COP, kills: { server: { heartbeat: -0.5 } } })), 'ERR_WIRE_INVALID'), /cop status\.kills\.server\.heartbeat: expected an integer/);
  assert.match(error(parseCopStatus(wire({ ...COP, lastPing: { ms: 3 } })), 'ERR_WIRE_INVALID'), /\.lastPing\.at: expected a number/);
  assert.match(error(parseCopStatus(wire({ ...COP, lastReload: { ...COP.lastReload, applied: 'logLevel' } })), 'ERR_WIRE_INVALID'), /\.lastReload\.applied: expected an array/);
});

test('a cop status of another version is refused as such', () => {
  error(parseCopStatus(wire({ ...COP, version: 0 })), 'ERR_WIRE_VERSION');
  error(parseCopStatus('{}'), 'ERR_WIRE_VERSION');
});

test('listeners are spelt as --listen takes them', () => {
  assert.equal(listenerText({ host: '127.0.0.1', port: 80 }), '127.0.0.1:80');
  assert.equal(listenerText({ host: '::1', port: 8081 }), '[::1]:8081');
});
