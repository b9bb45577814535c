import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveStatic } from '../src/builtin-app.js';
import { heartbeatBody, parseHeartbeatBody } from '@tripod/core';

test('the heartbeat body names the token, never the PID, and parses back', () => {
  assert.equal(parseHeartbeatBody(heartbeatBody('Zx3_-kT9qLm2')), 'Zx3_-kT9qLm2');
  assert.doesNotMatch(heartbeatBody('Zx3_-kT9qLm2'), /pid/i);
  assert.equal(parseHeartbeatBody('hello'), null);
  assert.equal(parseHeartbeatBody('tripod-server pid=4242\n'), null, 'the old PID body is not a heartbeat');
});

test('static paths cannot escape the root', () => {
  assert.equal(resolveStatic('/srv/www', '/a/b.txt'), '/srv/www/a/b.txt');
  assert.equal(resolveStatic('/srv/www', '/../etc/passwd'), null);
  assert.equal(resolveStatic('/srv/www', '/%2e%2e/etc/passwd'), null);
  assert.equal(resolveStatic('/srv/www', '/%E0%A4%A'), null);
});
