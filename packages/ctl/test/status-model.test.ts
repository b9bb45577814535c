import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../src/status/model.js';
import { renderStatus } from '../src/status/render.js';
import type { LockState, StatusSources } from '../src/status/sources.js';
import type { ManagerStatus } from '@tripod/core';
import { MANAGER_STATUS_VERSION } from '@tripod/core';

const NOW = 1_800_000_000_000;
const held = (pid: number): LockState => ({ holder: pid, ours: true, stalePid: null });
const free: LockState = { holder: null, ours: null, stalePid: null };
const stale = (pid: number): LockState => ({ holder: null, ours: null, stalePid: pid });

const STATUS: ManagerStatus = {
  version: MANAGER_STATUS_VERSION,
  manager: { pid: 20, startedAt: NOW - 50_000 },
  writtenAt: NOW - 2000,
  goal: 'run',
  serverExpected: true,
  size: 1,
  phase: 'serving',
  slots: [],
  rollingRestart: null,
  memoryReplacements: 0,
  servers: [{ pid: 30, role: 'serving', slot: 0, startedAt: NOW - 40_000, readyAt: NOW - 39_000, handover: false, standbyReady: false }],
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
      lastServerProbe: null, firstReadyAt: null, lastReload: null, managerLastExit: null, managerBackoffUntil: null, server: null,
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

test('the cop\'s liveness verdict: a busy server that misses the heartbeat is said to progress; a stalled one degrades', () => {
  const liveness = { version: 1 as const, pid: 30, token: 't', progressAgeMs: 20, turns: 9, lagMs: 900, inflight: 4, started: 10, completed: 6, oldestInflightMs: 2500 };
  const cop = (verdict: 'busy' | 'stalled') => ({ ...sources().cop!, server: { pid: 30, verdict, liveness, lastAnswerAt: NOW, livenessMs: 1, heartbeatFailures: 1 } });
  const busy = buildReport(sources({ cop: cop('busy'), server: { ok: false, error: 'no answer within 1000 ms', ms: 1000 } }));
  assert.deepEqual(busy.load && [busy.load.verdict, busy.load.lagMs, busy.load.inflight], ['busy', 900, 4]);
  assert.match(busy.reasons.join('\n'), /overloaded, but making progress: not killed/);
  const stalled = buildReport(sources({ cop: cop('stalled') }));
  assert.equal(stalled.health, 'degraded');
  assert.match(stalled.reasons.join('\n'), /stalled: 4 requests in flight, the oldest 2.5s old/);
  assert.equal(buildReport(sources()).load, null, 'no judgement, no load line');
});

test('a draining server gets its own row', () => {
  const status: ManagerStatus = { ...STATUS, servers: [...STATUS.servers, { pid: 31, role: 'draining', slot: 0, startedAt: NOW - 90_000, readyAt: NOW - 89_000, handover: false, standbyReady: false }] };
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

test('a pool names each server by its slot and shows that slot\'s restarts', () => {
  const exit = { pid: 40, code: 1, signal: null, at: NOW - 5000, requested: false };
  const slot = (n: number, pid: number, restarts: number) => ({
    slot: n, phase: 'serving' as const, lock: n === 0 ? 'server.lock' : `server.${n}.lock`, pid, readyAt: NOW - 10_000, restarts, consecutiveCrashes: 0,
    backoffUntil: null, stayDown: null, lastExit: n === 1 ? exit : null, memoryReplacements: 0,
  });
  const status: ManagerStatus = {
    ...STATUS,
    size: 2,
    slots: [slot(0, 30, 0), slot(1, 31, 3)],
    servers: [...STATUS.servers, { pid: 31, role: 'serving', slot: 1, startedAt: NOW - 20_000, readyAt: NOW - 19_000, handover: false, standbyReady: false }],
  };
  const r = buildReport(sources({ manager: { status, live: true, error: null, ms: 3 } }));
  assert.deepEqual(r.rows.filter((row) => row.tier === 'server').map((row) => [row.pid, row.state, row.restarts]), [[30, 'serving slot 0', 0], [31, 'serving slot 1', 3]]);
  assert.equal(r.rows.find((row) => row.pid === 31)!.lastExit, 'code 1 5s ago');
});

test('a pool: the cop\'s verdict on every slot\'s server is shown, a wedged one degrades', () => {
  const liveness = (pid: number, progressAgeMs: number) => ({ version: 1 as const, pid, token: 't', progressAgeMs, turns: 9, lagMs: 3, inflight: 0, started: 10, completed: 10, oldestInflightMs: 0 });
  const view = (slot: number, pid: number, verdict: 'ok' | 'wedged', age: number) => ({ slot, pid, verdict, liveness: liveness(pid, age), lastAnswerAt: NOW, livenessMs: 1, heartbeatFailures: 0 });
  const cop = { ...sources().cop!, server: view(0, 30, 'ok', 5), slots: [view(0, 30, 'ok', 5), view(1, 31, 'wedged', 2400)] };
  const report = buildReport(sources({ cop }));
  assert.deepEqual(report.slotLoads?.map((l) => [l.slot, l.pid, l.verdict]), [[0, 30, 'ok'], [1, 31, 'wedged']]);
  assert.equal(report.health, 'degraded');
  assert.match(report.reasons.join('\n'), /slot 1 \(PID 31\) is wedged/);
  const text = renderStatus(report);
  assert.match(text, /^slot 1 load \(PID 31\): wedged; .*last progress 2400 ms ago$/m);
  assert.doesNotMatch(text, /^server load:/m);
  assert.deepEqual(buildReport(sources()).slotLoads, [], 'one server: the single server load line only');
});
