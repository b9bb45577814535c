import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createProgressBuffer, ProgressObserver, ProgressWriter, readProgress, reportFromProgress } from '../src/liveness/progress.js';
import { livenessDir, livenessSocketPath, pidOfLivenessSocket, sweepLivenessSockets, tokenFilePath } from '../src/liveness/socket-path.js';
import { pidOfToken } from '../src/liveness/whose-token.js';
import { formatLivenessReport, parseLivenessReport, type LivenessReport } from '../src/wire/liveness.js';

const REPORT: LivenessReport = { version: 1, pid: 42, token: 'abc', progressAgeMs: 3.5, turns: 7, lagMs: 120, inflight: 2, started: 9, completed: 7, oldestInflightMs: 800 };

test('a liveness report survives the trip through its line', () => {
  const parsed = parseLivenessReport(formatLivenessReport(REPORT).trim());
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.value, REPORT);
});

test('a report off the contract is refused, naming the field', () => {
  const bad = (over: Record<string, unknown>) => {
    const parsed = parseLivenessReport(JSON.stringify({ ...REPORT, ...over }));
    assert.ok(!parsed.ok);
    return parsed.error;
  };
  assert.equal(bad({ version: 2 }).code, 'ERR_WIRE_VERSION');
  assert.match(bad({ progressAgeMs: 'soon' }).message, /progressAgeMs: expected a number/);
  assert.match(bad({ inflight: -1 }).message, /inflight: expected a count/);
  assert.match(bad({ token: undefined }).message, /token: expected a string/);
  const notJson = parseLivenessReport('hello');
  assert.ok(!notJson.ok && notJson.error.code === 'ERR_WIRE_INVALID');
});

test('the report is what the main thread wrote, aged on the reader\'s clock', () => {
  const buffer = createProgressBuffer();
  const writer = new ProgressWriter(buffer);
  const first = writer.requestStarted();
  writer.setOldest(first);
  writer.requestStarted();
  writer.requestFinished();
  writer.tick(1_000_000n, 250_000n);
  const snapshot = readProgress(buffer);
  assert.deepEqual([snapshot.started, snapshot.completed, snapshot.oldestSeq], [2, 1, first]);
  const report = reportFromProgress(snapshot, 1_500_000, 7, 'tok', 0, 999_000);
  assert.deepEqual(
    [report.turns, report.started, report.completed, report.inflight, report.lagMs, report.progressAgeMs, report.oldestInflightMs],
    [1, 2, 1, 1, 250, 500, 501],
  );
  writer.setOldest(0);
  assert.equal(reportFromProgress(readProgress(buffer), 1_000_000, 7, 'tok').oldestInflightMs, 0, 'nothing in flight: no age');
});

test('the worker dates the request counters\' changes: a loop turn serving requests with no timer tick is progress, a frozen one is not', () => {
  const buffer = createProgressBuffer();
  const writer = new ProgressWriter(buffer);
  writer.tick(1_000_000n, 0n);
  const observer = new ProgressObserver();
  observer.observe(readProgress(buffer), 1_000_000);
  // No tick for 3 s, but requests complete all along (one long, overloaded loop turn).
  for (let at = 1_050_000; at <= 4_000_000; at += 50_000) {
    writer.requestStarted();
    writer.requestFinished();
    observer.observe(readProgress(buffer), at);
  }
  const busy = observer.report(readProgress(buffer), 4_000_000, 7, 'tok');
  assert.ok(busy.progressAgeMs <= 50, `counters moved up to the last look: age ${busy.progressAgeMs} ms`);
  // Then nothing moves: the age grows from the look before the last change.
  for (let at = 4_050_000; at <= 6_000_000; at += 50_000) observer.observe(readProgress(buffer), at);
  const frozen = observer.report(readProgress(buffer), 6_000_000, 7, 'tok');
  assert.equal(frozen.progressAgeMs, 2050);
  // A worker that starts (or restarts) vouches for nothing it has not seen move: only the beat counts.
  const fresh = new ProgressObserver();
  assert.equal(fresh.report(readProgress(buffer), 6_000_000, 7, 'tok').progressAgeMs, 5000, 'the beat of 1 s, not the first look');
  // The oldest request in flight is dated when first seen (at the look before), and keeps its age.
  const seq = writer.requestStarted();
  writer.setOldest(seq);
  observer.observe(readProgress(buffer), 6_050_000);
  assert.equal(observer.report(readProgress(buffer), 8_000_000, 7, 'tok').oldestInflightMs, 2000);
});

test('in flight is right across the 32-bit wrap of the counters', () => {
  const report = reportFromProgress({ beatAtUs: 0, turns: 0, lagUs: 0, started: 2, completed: 4294967290, oldestSeq: 0 }, 0, 1, 't');
  assert.equal(report.inflight, 8);
});

test('one liveness socket per server PID, and back', () => {
  assert.equal(livenessSocketPath('/run/tripod', 1234), '/run/tripod/live/1234.sock');
  assert.equal(pidOfLivenessSocket('1234.sock'), 1234);
  assert.equal(pidOfLivenessSocket('x.sock'), null);
});

test('the sockets of servers that are gone are swept, the others and foreign files left alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-live-'));
  try {
    mkdirSync(livenessDir(dir));
    for (const name of ['10.sock', '10.token', '11.sock', '11.token', 'notes.txt']) writeFileSync(join(livenessDir(dir), name), '');
    assert.deepEqual(sweepLivenessSockets(dir, (pid) => pid === 11), [10]);
    assert.deepEqual(readdirSync(livenessDir(dir)).sort(), ['11.sock', '11.token', 'notes.txt']);
    assert.deepEqual(sweepLivenessSockets(join(dir, 'missing')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a heartbeat token names its server through the token files, and nothing else does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripod-token-'));
  try {
    mkdirSync(livenessDir(dir));
    writeFileSync(tokenFilePath(dir, 31), 'token-of-31');
    writeFileSync(tokenFilePath(dir, 32), 'token-of-32');
    writeFileSync(join(livenessDir(dir), 'x.token'), 'token-of-x');
    assert.equal(pidOfToken(dir, 'token-of-32'), 32);
    assert.equal(pidOfToken(dir, 'token-of-x'), null);
    assert.equal(pidOfToken(dir, 'token-of'), null, 'a prefix is not the token');
    assert.equal(pidOfToken(join(dir, 'missing'), 'token-of-31'), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
