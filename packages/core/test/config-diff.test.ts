import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffConfig } from '../src/config/diff.js';
import { validateConfig } from '../src/config/validate.js';

const base = validateConfig({ runtimeDir: '/run/t', listen: ['127.0.0.1:80'] }, '/');

test('no change, nothing to say', () => {
  const d = diffConfig(base, validateConfig({ runtimeDir: '/run/t', listen: ['127.0.0.1:80'] }, '/'));
  assert.deepEqual([d.applied, d.needsRestart], [[], []]);
});

test('timings and the restart policy apply live; app waits for a server start; listen for an instance restart', () => {
  const loaded = validateConfig({ runtimeDir: '/run/t', listen: ['127.0.0.1:81'], checkIntervalMs: 500, app: '/x.mjs', restart: { maxDelayMs: 5000 } }, '/');
  const d = diffConfig(base, loaded);
  assert.deepEqual(d.applied.sort(), ['checkIntervalMs', 'restart.maxDelayMs']);
  assert.deepEqual(d.needsRestart, ['listen (stop and start the instance)', 'app (at the next server start: tripod restart)']);
  assert.equal(d.next.checkIntervalMs, 500);
  assert.equal(d.next.app, '/x.mjs', 'the next server start uses the new app');
  assert.deepEqual(d.next.listen, base.listen, 'the sockets stay what they are');
});
