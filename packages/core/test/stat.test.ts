import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDeadState, parseStat } from '../src/proc/stat.js';

// Captured on this machine (Linux 6.18, CLK_TCK 100).
const NODE_SELF =
  '3357 (node) R 3355 3355 2356 0 -1 4194304 2178 0 3 0 6 0 0 0 20 0 7 0 40372 745713664 10055 18446744073709551615 11988992 39846385 140728969231504 0 0 0 0 16781312 17922 0 0 0 17 1 0 0 0 0 0 90418888 90555584 383504384 140728969234915 140728969234989 140728969234989 140728969236458 0\n';
const INIT =
  '1 (process_api) S 0 0 0 0 -1 4194560 26017 251823 0 137 34 169 478 397 10 -10 14 0 24 41836544 2509 18446744073709551615 1 1 0 0 0 0 0 4096 1256 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n';
// A copy of sleep(1) named "a) b": the command name holds a space and a ')'.
const TRICKY_COMM =
  '3366 (a) b) S 3365 3355 2356 0 -1 4194304 130 0 0 0 0 0 0 0 20 0 1 0 40381 2990080 385 18446744073709551615 94735615541248 94735615559177 140720671405296 0 0 0 0 6 0 1 0 0 17 0 0 0 0 0 0 94735615573264 94735615574528 94736492863488 140720671410729 140720671410741 140720671410741 140720671412206 0\n';
// A forked python child that exited and was not yet reaped.
const ZOMBIE =
  '3410 (python3) Z 3369 3355 2356 0 -1 4227148 216 0 0 0 0 0 0 0 20 0 1 0 40410 0 0 18446744073709551615 0 0 0 0 0 0 0 16781312 2 1 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 768\n';

test('parses a captured node process line', () => {
  assert.deepEqual(parseStat(NODE_SELF), {
    pid: 3357,
    comm: 'node',
    state: 'R',
    ppid: 3355,
    pgrp: 3355,
    session: 2356,
    tty: 0,
    starttime: 40372,
  });
});

test('parses PID 1 with ppid 0', () => {
  const stat = parseStat(INIT);
  assert.equal(stat?.pid, 1);
  assert.equal(stat?.comm, 'process_api');
  assert.equal(stat?.state, 'S');
  assert.equal(stat?.ppid, 0);
  assert.equal(stat?.starttime, 24);
});

test('a command name with spaces and ")" does not shift the fields', () => {
  const stat = parseStat(TRICKY_COMM);
  assert.equal(stat?.comm, 'a) b');
  assert.equal(stat?.state, 'S');
  assert.equal(stat?.ppid, 3365);
  assert.equal(stat?.pgrp, 3355);
  assert.equal(stat?.starttime, 40381);
});

test('a command name with "(" and ") S 1 2" inside still parses after the last ")"', () => {
  const stat = parseStat('77 (x (y) S 1 2) R 5 6 7 8 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 999 0 0\n');
  assert.equal(stat?.comm, 'x (y) S 1 2');
  assert.equal(stat?.state, 'R');
  assert.equal(stat?.ppid, 5);
  assert.equal(stat?.starttime, 999);
});

test('a zombie keeps its state letter and starttime', () => {
  const stat = parseStat(ZOMBIE);
  assert.equal(stat?.state, 'Z');
  assert.equal(stat?.starttime, 40410);
  assert.equal(isDeadState(stat!.state), true);
});

test('garbage and truncated lines give null', () => {
  for (const text of ['', 'hello', '(node) R 1 2', 'abc (node) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20', '0 (x) R 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0', '12 (node R 1 2 3', '12 (node) R 1 2 3']) {
    assert.equal(parseStat(text), null, JSON.stringify(text));
  }
  assert.equal(parseStat(NODE_SELF.split(' ').slice(0, 21).join(' ')), null, 'line cut before field 22');
});

test('isDeadState: zombie and dead only', () => {
  for (const s of ['Z', 'X', 'x']) assert.equal(isDeadState(s), true, s);
  for (const s of ['R', 'S', 'D', 'T', 't', 'I', 'W', 'P']) assert.equal(isDeadState(s), false, s);
});
