// Unit tests of the bench's pure helpers (node scripts/run-tests.mjs bench).
import { parseWrk, wrkDurationMs } from '../lib/wrk.js';
import { maxOverFair } from '../lib/pool-render.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Outcome } from '@tripod/chaos';
import { parseArgs } from '../lib/args.js';
import { firstResponse } from '../lib/http-frame.js';
import { evaluateTargets, overloadTargets, roundRatios } from '../lib/render.js';
import { addCounts, median, percentile, ratio, summarize } from '../lib/stats.js';
import { cell, markdownTable, textTable } from '../lib/table.js';
import { collectOffsets, firstOffsets, parseLogEvents } from '../lib/timeline.js';
import { rotate } from '../phases/throughput.js';

test('median: odd, even, empty, ignores NaN', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([]), null);
  assert.equal(median([NaN, 5]), 5);
});

test('percentile is nearest-rank', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(values, 99), 99);
  assert.equal(percentile(values, 100), 100);
  assert.equal(percentile(values, 0), 1);
  assert.equal(percentile([7], 95), 7);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95), 10);
});

test('summarize and ratio', () => {
  assert.deepEqual(summarize([5, 1, 3]), { n: 3, median: 3, p95: 5, max: 5 });
  assert.equal(ratio(3, 4), 0.75);
  assert.equal(ratio(3, 0), null);
  assert.equal(ratio(null, 2), null);
  assert.deepEqual(addCounts({ ok: 3, reset: 1 }, { ok: 2 }), { ok: 5, reset: 1 });
});

test('tables align numbers right and mark missing values', () => {
  const text = textTable(['name', 'ms'], [['a', '5'], ['long name', '123']]).split('\n');
  assert.equal(text[2], 'a            5');
  assert.equal(text[3], 'long name  123');
  assert.equal(cell(null), '–');
  assert.match(markdownTable(['name', 'ms'], [['a|b', '5']]), /\| :--- \| ---: \|\n\| a\\\|b \| 5 \|/);
});

test('firstResponse frames by Content-Length and waits for the whole body', () => {
  const response = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello';
  assert.equal(firstResponse(response.slice(0, 20)), null);
  assert.equal(firstResponse(response.slice(0, -1)), null);
  assert.deepEqual(firstResponse(response + 'HTTP/1.1'), { status: 200, length: response.length });
  assert.deepEqual(firstResponse('HTTP/1.1 503 Service Unavailable\r\n\r\n'), { status: 503, length: 36 });
});

test('parseArgs: defaults, quick, bad values named', () => {
  assert.equal(parseArgs([]).repeat, 5);
  assert.equal(parseArgs(['--quick']).repeat, 2);
  assert.equal(parseArgs(['--quick', '--repeat', '7']).repeat, 7);
  assert.deepEqual(parseArgs(['--only', 'boot,idle']).only, ['boot', 'idle']);
  assert.throws(() => parseArgs(['--repeat', '0']), /--repeat: "0" must be an integer from 1 to 100/);
  assert.throws(() => parseArgs(['--only', 'nope']), /--only/);
  assert.throws(() => parseArgs(['--frobnicate']), /unknown argument "--frobnicate"/);
  assert.deepEqual(parseArgs(['--cop-arg=--check-interval-ms=60000']).copArgs, ['--check-interval-ms=60000']);
});

test('log timeline: first occurrence of each event after the fault', () => {
  const text = [
    '{"tier":"manager","message":"server.exit","timestamp":"2026-01-01T00:00:00.010Z"}',
    'not json',
    '{"tier":"cop","message":"kill.signal","signal":"SIGTERM","timestamp":"2026-01-01T00:00:00.020Z"}',
    '{"tier":"manager","message":"server.exit","timestamp":"2026-01-01T00:00:00.030Z"}',
    '{"tier":"manager","message":"server.spawn","timestamp":"1999-01-01T00:00:00.000Z"}',
  ].join('\n');
  const events = parseLogEvents(text);
  const since = Date.parse('2026-01-01T00:00:00.000Z');
  assert.deepEqual(firstOffsets(events, since), { 'manager:server.exit': 10, 'cop:kill.signal:SIGTERM': 20 });
  assert.deepEqual(collectOffsets([{ a: 1 }, { a: 3, b: 2 }]), { a: [1, 3], b: [2] });
});

test('rotate interleaves the targets round by round', () => {
  assert.deepEqual(rotate(['a', 'b', 'c'], 0), ['a', 'b', 'c']);
  assert.deepEqual(rotate(['a', 'b', 'c'], 1), ['b', 'c', 'a']);
  assert.deepEqual(rotate(['a', 'b', 'c'], 5), ['c', 'a', 'b']);
});

test('throughput ratios pair targets within a round', () => {
  const runs = [
    { round: 0, mode: 'keep-alive', target: 'tripod', rps: 90, failed: 0 },
    { round: 0, mode: 'keep-alive', target: 'bare', rps: 100, failed: 0 },
    { round: 1, mode: 'keep-alive', target: 'tripod', rps: 45, failed: 0 },
    { round: 1, mode: 'keep-alive', target: 'bare', rps: 50, failed: 0 },
  ];
  assert.deepEqual(roundRatios(runs, 'keep-alive', 'tripod', 'bare'), [0.9, 0.9]);
  const [target] = evaluateTargets({ throughput: runs });
  assert.equal(target?.met, false);
  assert.match(target?.measured ?? '', /0\.900/);
});

test('targets: refused connections through tripod and graceful failures are counted', () => {
  const counts = (over: Partial<Record<Outcome, number>> = {}): Record<Outcome, number> => ({ ok: 10, refused: 0, reset: 0, timeout: 0, 'http-5xx': 0, error: 0, ...over });
  const load = [
    { name: 'bare-kill', mode: 'new', faults: 1, total: 20, counts: counts({ refused: 10 }) },
    { name: 'server-kill', mode: 'new', faults: 1, total: 11, counts: counts({ reset: 1 }) },
    { name: 'graceful-restart', mode: 'keep-alive', faults: 1, total: 10, counts: counts() },
  ];
  const [refused, graceful] = evaluateTargets({ load });
  assert.equal(refused?.met, true);
  assert.equal(graceful?.met, true);
  load[1]!.counts.refused = 1;
  load[2]!.total = 11;
  const [refused2, graceful2] = evaluateTargets({ load });
  assert.equal(refused2?.met, false);
  assert.equal(graceful2?.met, false);
});

test('overload target: tripod fails no more than bare at every level and kills nothing', () => {
  const counts = (failed: number) => ({ ok: 100 - failed, refused: 0, reset: failed, timeout: 0, 'http-5xx': 0, error: 0 }) as Record<Outcome, number>;
  const row = (target: 'bare' | 'tripod', clients: number, failed: number, kills: number | null) => ({
    target, clients, total: 100, ok: 100 - failed, failed, counts: counts(failed), maxMs: 900, kills, maxLagMs: null, verdicts: [], killOnSlowMs: null,
  });
  const good = overloadTargets([row('bare', 16, 0, null), row('tripod', 16, 0, 0), row('bare', 64, 2, null), row('tripod', 64, 1, 0)]);
  assert.equal(good.length, 1);
  assert.ok(good[0]!.met, good[0]!.measured);
  assert.ok(!overloadTargets([row('bare', 64, 0, null), row('tripod', 64, 3, 0)])[0]!.met, 'failures beyond bare');
  assert.ok(!overloadTargets([row('bare', 64, 0, null), row('tripod', 64, 0, 1)])[0]!.met, 'a kill');
  assert.deepEqual(overloadTargets([]), []);
});

test('wrk: its report read (rate, total, errors, p99 in any unit); no figures is an error', () => {
  const out = `Running 5s test @ http://127.0.0.1:8080/
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.10ms    1.20ms  30.00ms   90.00%
  Latency Distribution
     50%    3.90ms
     75%    4.50ms
     90%    5.20ms
     99%  850.00us
  51234 requests in 5.00s, 6.00MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:  10246.80
Transfer/sec:      1.20MB
`;
  assert.deepEqual(parseWrk(out), { rps: 10246.8, requests: 51234, errors: 9, p99Ms: 0.85 });
  assert.equal(wrkDurationMs('1.5s'), 1500);
  assert.equal(wrkDurationMs('n/a'), null);
  assert.throws(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused'), /wrk gave no figures/);
});

test('pool balance: the busiest server over the fair share', () => {
  assert.equal(maxOverFair([100, 100]), 1);
  assert.equal(maxOverFair([150, 50]), 1.5);
  assert.equal(maxOverFair([]), null);
  assert.equal(maxOverFair([0, 0]), null);
  assert.equal(maxOverFair([NaN, 3]), null, 'a server that did not answer its liveness socket: unknown');
});
