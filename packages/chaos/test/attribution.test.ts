import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributeFailure, failureViolations, judgeFailure, type Failure, type FaultWindow } from '../src/analysis/attribution.js';

const windows: FaultWindow[] = [
  { index: 1, tier: 'server', kind: 'SIGKILL', from: 10_000, to: 10_400 },
  { index: 2, tier: 'manager', kind: 'SIGKILL', from: 20_000, to: 21_500 },
  { index: 3, tier: 'cop', kind: 'SIGTERM', from: 30_000, to: 33_000 },
  { index: 4, tier: 'cop', kind: 'SIGUSR1', from: 40_000, to: 40_600 },
  { index: 5, tier: 'manager+server', kind: 'SIGSTOP', from: 50_000, to: Number.POSITIVE_INFINITY },
];

const fail = (at: number, ms: number, outcome: Failure['outcome'], mode: Failure['mode'] = 'new'): Failure => ({ at, ms, outcome, mode, error: null });

test('a failure belongs to the window containing the moment it failed, with slack around it', () => {
  assert.equal(attributeFailure(fail(10_100, 5, 'reset'), windows)?.index, 1);
  // Started before the kill, failed when the server died.
  assert.equal(attributeFailure(fail(9_000, 1_050, 'reset'), windows)?.index, 1);
  // Noticed just after recovery (a stale keep-alive socket).
  assert.equal(attributeFailure(fail(10_700, 2, 'reset'), windows, 500)?.index, 1);
  assert.equal(attributeFailure(fail(11_000, 2, 'reset'), windows, 500), null);
  assert.equal(attributeFailure(fail(5_000, 10, 'reset'), windows), null);
  // An unrecovered window lasts forever.
  assert.equal(attributeFailure(fail(90_000, 10, 'timeout'), windows)?.index, 5);
});

test('a failure inside one window is not pulled into the next one by the slack', () => {
  const backToBack: FaultWindow[] = [
    { index: 15, tier: 'manager', kind: 'SIGTERM', from: 35_230, to: 37_970 },
    { index: 16, tier: 'server', kind: 'SIGKILL', from: 38_000, to: 38_800 },
  ];
  assert.equal(attributeFailure(fail(37_327, 189, 'refused'), backToBack)?.index, 15);
  assert.equal(attributeFailure(fail(37_800, 180, 'refused'), backToBack)?.index, 15, 'between the two: the nearer');
  assert.equal(attributeFailure(fail(37_800, 190, 'refused'), backToBack)?.index, 16, 'between the two: the nearer');
  assert.equal(attributeFailure(fail(37_700, 200, 'refused'), backToBack)?.index, 15);
  // A request started in a window that timed out long after it still belongs to it.
  assert.equal(attributeFailure(fail(36_000, 10_000, 'timeout'), backToBack)?.index, 16);
  assert.equal(attributeFailure(fail(36_000, 10_000, 'timeout'), [backToBack[0]!])?.index, 15);
});

test('of two overlapping windows the one containing the failure wins, then the later one', () => {
  const overlapping: FaultWindow[] = [
    { index: 1, tier: 'server', kind: 'SIGKILL', from: 0, to: 5_000 },
    { index: 2, tier: 'manager', kind: 'SIGKILL', from: 4_000, to: 9_000 },
  ];
  assert.equal(attributeFailure(fail(4_500, 10, 'reset'), overlapping, 0)?.index, 2);
  assert.equal(attributeFailure(fail(3_000, 10, 'reset'), overlapping, 0)?.index, 1);
  assert.equal(attributeFailure(fail(3_000, 4_000, 'reset'), overlapping, 0)?.index, 2);
});

test('a refused connection is a violation of no-refused-connection, except in a planned stop', () => {
  assert.equal(judgeFailure(fail(10_100, 1, 'refused'), windows).invariant, 'no-refused-connection');
  assert.equal(judgeFailure(fail(20_500, 1, 'refused'), windows).invariant, 'no-refused-connection');
  assert.equal(judgeFailure(fail(1_000, 1, 'refused'), windows).invariant, 'no-refused-connection');
  const planned = judgeFailure(fail(31_000, 1, 'refused'), windows);
  assert.equal(planned.verdict, 'planned-stop');
  assert.equal(planned.invariant, null);
  assert.equal(planned.fault, 3);
});

test('a reset is expected only when a server was killed; elsewhere it breaks no-failed-request', () => {
  const expected = judgeFailure(fail(10_100, 3, 'reset', 'keep-alive'), windows);
  assert.equal(expected.verdict, 'expected');
  assert.equal(expected.fault, 1);
  assert.equal(judgeFailure(fail(20_100, 3, 'reset'), windows).invariant, 'no-failed-request');
  assert.equal(judgeFailure(fail(40_100, 3, 'reset', 'keep-alive'), windows).invariant, 'no-failed-request');
  assert.equal(judgeFailure(fail(50_100, 3, 'reset'), windows).verdict, 'expected');
  assert.equal(judgeFailure(fail(10_100, 3, 'timeout'), windows).invariant, 'no-failed-request');
  assert.equal(judgeFailure(fail(2_000, 3, 'http-5xx'), windows).invariant, 'no-failed-request');
});

test('violating failures fold into one violation per invariant and fault, counting classes', () => {
  const judged = [fail(20_100, 1, 'refused'), fail(20_200, 1, 'refused'), fail(20_300, 3, 'reset'), fail(10_100, 1, 'reset'), fail(1_000, 1, 'refused')].map((f) => judgeFailure(f, windows));
  const violations = failureViolations(judged, windows);
  assert.deepEqual(violations.map((v) => [v.invariant, v.fault]), [['no-refused-connection', null], ['no-refused-connection', 2], ['no-failed-request', 2]]);
  assert.match(violations[1]!.message, /^2 failed request\(s\) \(2 refused\); first: new request .* connection refused during fault #2 \(manager SIGKILL\)/);
  assert.match(violations[0]!.message, /with no fault in progress/);
});
