import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTripodError } from '../src/errors.js';
import { parseNotifyEnv, takeNotifyEnv, watchdogPingIntervalMs } from '../src/systemd/notify-env.js';

test('no NOTIFY_SOCKET: nothing to notify and no watchdog, whatever WATCHDOG_USEC says', () => {
  assert.deepEqual(parseNotifyEnv({ WATCHDOG_USEC: '3000000' }, 42), { socket: null, watchdogUsec: null });
  assert.deepEqual(parseNotifyEnv({ NOTIFY_SOCKET: '' }, 42), { socket: null, watchdogUsec: null });
});

test('NOTIFY_SOCKET alone: notifications without a watchdog', () => {
  assert.deepEqual(parseNotifyEnv({ NOTIFY_SOCKET: '/run/systemd/notify' }, 42), { socket: '/run/systemd/notify', watchdogUsec: null });
  assert.deepEqual(parseNotifyEnv({ NOTIFY_SOCKET: '@abstract' }, 42), { socket: '@abstract', watchdogUsec: null });
});

test('WATCHDOG_USEC applies to us when WATCHDOG_PID is unset or names us', () => {
  assert.equal(parseNotifyEnv({ NOTIFY_SOCKET: '/n', WATCHDOG_USEC: '30000000' }, 42).watchdogUsec, 30_000_000);
  assert.equal(parseNotifyEnv({ NOTIFY_SOCKET: '/n', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' }, 42).watchdogUsec, 30_000_000);
});

test('a watchdog meant for another PID is not ours to feed', () => {
  assert.equal(parseNotifyEnv({ NOTIFY_SOCKET: '/n', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '7' }, 42).watchdogUsec, null);
});

test('garbage in WATCHDOG_USEC or WATCHDOG_PID is an error naming the variable and the value', () => {
  for (const [name, env] of [
    ['WATCHDOG_USEC', { NOTIFY_SOCKET: '/n', WATCHDOG_USEC: '10s' }],
    ['WATCHDOG_USEC', { NOTIFY_SOCKET: '/n', WATCHDOG_USEC: '0' }],
    ['WATCHDOG_PID', { NOTIFY_SOCKET: '/n', WATCHDOG_USEC: '100', WATCHDOG_PID: '-1' }],
  ] as const) {
    assert.throws(() => parseNotifyEnv(env, 42), (err: unknown) => isTripodError(err, 'ERR_CONFIG_INVALID') && err.message.includes(name));
  }
});

test('takeNotifyEnv removes the variables so children do not inherit them, even when they are invalid', () => {
  const env: NodeJS.ProcessEnv = { NOTIFY_SOCKET: '/n', WATCHDOG_USEC: '4000000', WATCHDOG_PID: '42', KEEP: 'me' };
  assert.deepEqual(takeNotifyEnv(env, 42), { socket: '/n', watchdogUsec: 4_000_000 });
  assert.deepEqual(env, { KEEP: 'me' });
  const bad: NodeJS.ProcessEnv = { NOTIFY_SOCKET: '/n', WATCHDOG_USEC: 'x' };
  assert.throws(() => takeNotifyEnv(bad, 42));
  assert.deepEqual(bad, {});
});

test('the watchdog is fed at most every quarter of its timeout', () => {
  assert.equal(watchdogPingIntervalMs({ socket: '/n', watchdogUsec: 30_000_000 }), 7500);
  assert.equal(watchdogPingIntervalMs({ socket: '/n', watchdogUsec: 1000 }), 1, 'never 0');
  assert.equal(watchdogPingIntervalMs({ socket: '/n', watchdogUsec: null }), null);
});
