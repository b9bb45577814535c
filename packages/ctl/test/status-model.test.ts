import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../src/status/model.js';
import type { LockState, StatusSources } from '../src/status/sources.js';
import type { ManagerStatus } from '@tripod/core';

const NOW = 1_800_000_000_000;
const held = (pid: number): LockState => ({ holder: pid, ours: true, stalePid: null });
const free: LockState = { holder: null, ours: null, stalePid: null };
const stale = (pid: number): LockState => ({ holder: null, ours: null, stalePid: pid });

const STATUS: ManagerStatus = {
  version: 1,
  manager: { pid: 20, startedAt: NOW - 50_000 },
  writtenAt: NOW - 2000,
  goal: 'run',
  serverExpected: true,
  servers: [{ pid: 30, role: 'serving', startedAt: NOW - 40_000, readyAt: NOW - 39_000, handover: false, standbyReady: false }],
  restarts: 2,
  consecutiveCrashes: 0,
  backoffUntil: null,
  stayDown: null,
  lastExit: { pid: 29, code: null, signal: 'SIGKILL', at: NOW - 41_000, requested: false },
  exitsByCause: {},
  lastDrain: null,
  lastOutage: null,
  listeners: [{ host: '127.0.0.1', port: 8080, queued: 0, backlog: 511 }],
  backlog: 511,
};

function sources(over: Partial<StatusSources> = {}): StatusSources {
  return {
    now: NOW,
    runtimeDir: '/run/tripod',
    dir: 'ok',
    dirError: null,
    procfs: true,
    instance: 'abc',
    locks: { cop: held(10), manager: held(20), server: held(30) },
    procs: {
      10: { pid: 10, state: 'S', startedAt: NOW - 60_000 },
      20: { pid: 20, state: 'S', startedAt: NOW - 50_000 },
      30: { pid: 30, state: 'S', startedAt: NOW - 40_000 },
    },
    manager: { status: STATUS, live: true, error: null, ms: 3 },
    cop: {
      version: 1, cop: { pid: 10, startedAt: NOW - 60_000 }, managerStarts: 2, managerRestarts: 1, kills: {}, lastPing: { ms: 4, at: NOW - 100 },
      lastServerProbe: null, firstReadyAt: null, lastReload: null, managerLastExit: null, managerBackoffUntil: null,
    },
    server: { ok: true, pid: 30, ms: 2 },
    listeners: STATUS.listeners!,
    lockless: [],
    ...over,
  };
}

test('everything up and answering: running, exit 0, one row per tier with uptimes and figures', () => {
  const r = buildReport(sources());
  assert.equal(r.health, 'running');
  assert.equal(r.exitCode, 0);
  assert.deepEqual(r.rows.map((row) => [row.tier, row.pid, row.state]), [['cop', 10, 'running'], ['manager', 20, 'running'], ['server', 30, 'serving']]);
  assert.deepEqual(r.rows.map((row) => row.uptimeSeconds), [60, 50, 40]);
  assert.equal(r.rows[1]!.restarts, 1);
  assert.equal(r.rows[2]!.restarts, 2);
  assert.equal(r.rows[2]!.lastExit, 'SIGKILL 41s ago');
  assert.equal(r.rows[2]!.heartbeatMs, 2);
  assert.equal(r.source, 'control');
});

test('a draining server gets its own row', () => {
  const status: ManagerStatus = { ...STATUS, servers: [...STATUS.servers, { pid: 31, role: 'draining', startedAt: NOW - 90_000, readyAt: NOW - 89_000, handover: false, standbyReady: false }] };
  const r = buildReport(sources({ manager: { status, live: true, error: null, ms: 3 } }));
  assert.deepEqual(r.rows.filter((row) => row.tier === 'server').map((row) => [row.pid, row.state, row.uptimeSeconds]), [[30, 'serving', 40], [31, 'draining', 90]]);
  assert.equal(r.health, 'running');
});

test('degraded (150): server down, in backoff, given up, stopped on request, not answering', () => {
  const cases: [Partial<StatusSources>, RegExp, string][] = [
    [{ locks: { cop: held(10), manager: held(20), server: free }, server: null }, /server is down/, 'down'],
    [{ locks: { cop: held(10), manager: held(20), server: free }, server: null, manager: { status: { ...STATUS, servers: [], backoffUntil: NOW + 2500, consecutiveCrashes: 3 }, live: true, error: null, ms: 1 } }, /backoff: 2\.5s left, 3 crashes/, 'backoff'],
    [{ locks: { cop: held(10), manager: held(20), server: free }, server: null, manager: { status: { ...STATUS, servers: [], stayDown: 'no-restart-code' }, live: true, error: null, ms: 1 } }, /gave up restarting the server \(no-restart-code\)/, 'given-up'],
    [{ locks: { cop: held(10), manager: held(20), server: free }, server: null, manager: { status: { ...STATUS, servers: [], goal: 'stop' }, live: true, error: null, ms: 1 } }, /stopped on request/, 'stopped'],
    [{ server: { ok: false, error: 'ECONNRESET', ms: 5 } }, /does not answer the heartbeat: ECONNRESET/, 'not-answering'],
  ];
  for (const [over, reason, state] of cases) {
    const r = buildReport(sources(over));
    assert.equal(r.health, 'degraded', reason.source);
    assert.equal(r.exitCode, 150);
    assert.match(r.reasons.join('\n'), reason);
    assert.equal(r.rows.find((row) => row.tier === 'server')!.state, state);
  }
});

test('a manager that does not answer: degraded, figures from files, the cop\'s last ping shown', () => {
  const r = buildReport(sources({ manager: { status: STATUS, live: false, error: 'did not answer status within 1500 ms', ms: null } }));
  assert.equal(r.health, 'degraded');
  assert.equal(r.source, 'files');
  assert.match(r.notes.join('\n'), /status\.json \(written 2s ago\)/);
  const manager = r.rows.find((row) => row.tier === 'manager')!;
  assert.equal(manager.state, 'not-answering');
  assert.deepEqual([manager.heartbeatMs, manager.heartbeatFrom], [4, 'cop']);
});

test('a SIGSTOPped tier is reported as stopped and degrades the instance', () => {
  const r = buildReport(sources({ procs: { ...sources().procs, 30: { pid: 30, state: 'T', startedAt: NOW - 40_000 } } }));
  assert.equal(r.rows.find((row) => row.tier === 'server')!.state, 'stopped (SIGSTOP)');
  assert.equal(r.health, 'degraded');
});

test('no cop but a manager or a lockless process still runs: unsupervised (151)', () => {
  let r = buildReport(sources({ locks: { cop: free, manager: held(20), server: held(30) } }));
  assert.equal(r.exitCode, 151);
  assert.match(r.reasons[0]!, /manager PID 20, server PID 30 still run/);
  r = buildReport(sources({ locks: { cop: free, manager: free, server: free }, lockless: [{ pid: 44, starttime: 1, tier: 'server', state: 'S', pgrp: 44, ppid: 1 }] }));
  assert.equal(r.health, 'unsupervised');
});

test('nothing runs but lock files name PIDs: dead (1); clean: not running (3)', () => {
  const none = { locks: { cop: stale(10), manager: free, server: stale(30) }, server: null, manager: { status: STATUS, live: false, error: 'x', ms: null } };
  let r = buildReport(sources(none));
  assert.equal(r.exitCode, 1);
  assert.deepEqual(r.reasons, ['cop.lock names PID 10, but no process holds it', 'server.lock names PID 30, but no process holds it']);
  assert.ok(r.rows.every((row) => row.state === 'down' && row.restarts === null && row.lastExit === null), 'stale files add no figures');
  r = buildReport(sources({ ...none, locks: { cop: free, manager: free, server: free } }));
  assert.equal(r.exitCode, 3);
  assert.equal(r.health, 'not-running');
});

test('a missing runtime directory is not running (3); an unreadable one, no /proc, or a stranger holding a lock is unknown (4)', () => {
  assert.equal(buildReport(sources({ dir: 'missing', dirError: 'x' })).exitCode, 3);
  assert.equal(buildReport(sources({ dir: 'unreadable', dirError: '/x: EACCES' })).exitCode, 4);
  assert.equal(buildReport(sources({ procfs: false })).exitCode, 4);
  const r = buildReport(sources({ locks: { cop: { holder: 99, ours: false, stalePid: null }, manager: held(20), server: held(30) } }));
  assert.equal(r.exitCode, 4);
  assert.match(r.reasons[0]!, /held by PID 99, which is not a cop of this instance/);
});
