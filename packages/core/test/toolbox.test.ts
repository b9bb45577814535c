// The shared waiting and port helpers.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { isTripodError } from '../src/errors.js';
import { freePort } from '../src/toolbox/free-port.js';
import { waitFor, waitUntil } from '../src/toolbox/wait.js';

test('waitUntil resolves with the first value that holds, not before', async () => {
  let n = 0;
  const value = await waitUntil(() => (++n >= 3 ? `after ${n}` : false), { timeoutMs: 2000, intervalMs: 5 });
  assert.equal(value, 'after 3');
});

test('waitUntil resolves null at the deadline, and not much later', async () => {
  const started = Date.now();
  assert.equal(await waitUntil(() => null, { timeoutMs: 120, intervalMs: 50 }), null);
  const took = Date.now() - started;
  assert.ok(took >= 115 && took < 1000, `took ${took} ms`);
});

test('waitUntil stops early once aborted', async () => {
  let stop = false;
  setTimeout(() => (stop = true), 30);
  const started = Date.now();
  assert.equal(await waitUntil(() => false, { timeoutMs: 10_000, intervalMs: 10, aborted: () => stop }), null);
  assert.ok(Date.now() - started < 2000);
});

test('a value of 0 or an empty string holds (only undefined, null and false do not)', async () => {
  assert.equal(await waitUntil(() => 0, { timeoutMs: 100 }), 0);
  assert.equal(await waitUntil(() => '', { timeoutMs: 100 }), '');
});

test('waitFor throws ERR_WAIT_TIMEOUT naming what it waited for and the last error of the probe', async () => {
  try {
    await waitFor('the moon', () => {
      throw new Error('cloudy');
    }, 60, 10);
    assert.fail('resolved');
  } catch (err) {
    assert.ok(isTripodError(err, 'ERR_WAIT_TIMEOUT'), String(err));
    assert.match(err.message, /timed out after 60 ms waiting for the moon \(last error: cloudy\)/);
  }
});

test('freePort gives a port one can listen on', async () => {
  const port = await freePort();
  assert.ok(port > 0 && port < 65536);
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
