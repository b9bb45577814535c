// The message contracts: the manager <-> server IPC and the ping reply. Valid, invalid, unknown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAcceptedReply, parsePingReply, parseReloadReply, parseScaleReply } from '../src/wire/control.js';
import { goMessage, parseManagerMessage, parseServerMessage, poolMessage } from '../src/wire/server-ipc.js';
import type { Parsed } from '../src/wire/check.js';

const value = <T>(p: Parsed<T>): T => (p.ok ? p.value : assert.fail(`did not parse: ${p.error.message}`));
const error = <T>(p: Parsed<T>, code = 'ERR_WIRE_INVALID'): string => {
  if (p.ok) return assert.fail(`parsed: ${JSON.stringify(p.value)}`);
  assert.equal(p.error.code, code);
  return p.error.message;
};

test('every server message a server sends parses to itself', () => {
  for (const message of [
    { type: 'standby', pid: 7 },
    { type: 'ready', pid: 7 },
    { type: 'locked', pid: 7 },
    { type: 'drained', pid: 7, outcome: 'timeout', openConnections: 2, ms: 3000 },
  ]) assert.deepEqual(value(parseServerMessage(message)), message);
});

test('a server message off the contract is refused, naming the field', () => {
  assert.match(error(parseServerMessage({ type: 'drained', pid: 7, outcome: 'maybe', openConnections: 0, ms: 1 })), /server message\.outcome: expected "success" or "timeout", got "maybe"/);
  assert.match(error(parseServerMessage({ type: 'drained', pid: 7, outcome: 'success', ms: 1 })), /openConnections: expected an integer, got nothing/);
  assert.match(error(parseServerMessage({ type: 'ready', pid: '7' })), /\.pid: expected an integer/);
  assert.match(error(parseServerMessage({ type: 'draining', pid: 7 })), /unknown type "draining"/);
  assert.match(error(parseServerMessage('ready')), /unknown type missing/);
  assert.match(error(parseServerMessage(null)), /unknown type/);
});

test('the manager message is go (a slot in a pool of some size) or pool (the new size), and nothing else', () => {
  assert.deepEqual(value(parseManagerMessage(goMessage(2, 4))), { type: 'go', slot: 2, servers: 4 });
  assert.deepEqual(value(parseManagerMessage(JSON.parse(JSON.stringify(goMessage(0, 1))))), { type: 'go', slot: 0, servers: 1 });
  assert.deepEqual(value(parseManagerMessage(poolMessage(3))), { type: 'pool', servers: 3 });
  error(parseManagerMessage({ type: 'go' }));
  error(parseManagerMessage({ type: 'go', slot: 1 }));
  assert.match(error(parseManagerMessage({ type: 'go', slot: -1, servers: 2 })), /slot must be 0 or more/);
  assert.match(error(parseManagerMessage({ type: 'pool', servers: 0 })), /servers must be 1 or more/);
  assert.match(error(parseManagerMessage({ type: 'stop' })), /unknown type "stop" \(known: go, pool\)/);
  error(parseManagerMessage('go'));
});

test('a ping reply parses; one off the contract is refused', () => {
  assert.deepEqual(value(parsePingReply({ pid: 5, serverExpected: true, serverPid: 6 })), { pid: 5, serverExpected: true, serverPid: 6 });
  assert.deepEqual(value(parsePingReply({ pid: 5, serverExpected: false, serverPid: null })), { pid: 5, serverExpected: false, serverPid: null });
  assert.match(error(parsePingReply({ pid: 5, serverExpected: 'yes', serverPid: null })), /serverExpected: expected true or false/);
  assert.match(error(parsePingReply({ pid: 5, serverExpected: true })), /serverPid: expected an integer, got nothing/);
  error(parsePingReply(null));
});

test('the accepted and reload replies parse; off the contract they are refused', () => {
  assert.deepEqual(value(parseAcceptedReply({ accepted: 'server-drain' })), { accepted: 'server-drain' });
  assert.match(error(parseAcceptedReply({ accepted: 'format-disk' })), /accepted reply\.accepted/);
  assert.deepEqual(value(parseReloadReply({ reopenedLogs: true, configApplied: false })), { reopenedLogs: true, configApplied: false });
  assert.match(error(parseReloadReply({ reopenedLogs: true })), /configApplied: expected true or false, got nothing/);
});

test('the scale reply parses, and a wrong one is refused', () => {
  assert.deepEqual(value(parseScaleReply({ from: 1, to: 3 })), { from: 1, to: 3 });
  error(parseScaleReply({ from: 1 }));
});
