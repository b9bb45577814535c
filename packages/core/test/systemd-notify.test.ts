import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNotifier } from '../src/systemd/notify.js';
import type { NotifyTransport } from '../src/systemd/notify-transport.js';

function recorder(fail?: (fields: readonly string[]) => Error | null): NotifyTransport & { sent: string[][] } {
  const sent: string[][] = [];
  return {
    sent,
    send(fields) {
      sent.push([...fields]);
      const err = fail?.(fields) ?? null;
      return err ? Promise.reject(err) : Promise.resolve();
    },
  };
}

test('without NOTIFY_SOCKET every call is a no-op and nothing is sent', async () => {
  const transport = recorder();
  const n = createNotifier({ socket: null, watchdogUsec: 1_000_000 }, { transport });
  assert.equal(n.enabled, false);
  n.ready('x');
  n.watchdog();
  n.status('y');
  n.stopping();
  n.reloading();
  n.mainPid(1);
  await n.flush();
  assert.deepEqual(transport.sent, []);
});

test('each call is one message with the sd_notify fields', async () => {
  const transport = recorder();
  const n = createNotifier({ socket: '/n', watchdogUsec: null }, { transport, monotonicUsec: () => 123456789n });
  n.ready('serving (server PID 9)');
  n.status('two\nlines');
  n.stopping('bye');
  n.reloading('reloading configuration');
  n.mainPid(77);
  n.ready();
  await n.flush();
  assert.deepEqual(transport.sent, [
    ['READY=1', 'STATUS=serving (server PID 9)'],
    ['STATUS=two lines'],
    ['STOPPING=1', 'STATUS=bye'],
    ['RELOADING=1', 'MONOTONIC_USEC=123456789', 'STATUS=reloading configuration'],
    ['MAINPID=77'],
    ['READY=1'],
  ]);
});

test('STATUS= that repeats the last one sent is not sent again', async () => {
  const transport = recorder();
  const n = createNotifier({ socket: '/n', watchdogUsec: null }, { transport });
  n.ready('serving');
  n.status('serving');
  n.status('not serving');
  n.status('not serving');
  n.status('serving');
  assert.deepEqual(transport.sent, [['READY=1', 'STATUS=serving'], ['STATUS=not serving'], ['STATUS=serving']]);
});

test('WATCHDOG=1 is sent at most every WATCHDOG_USEC/4, and never without a watchdog', async () => {
  let now = 1000;
  const transport = recorder();
  const n = createNotifier({ socket: '/n', watchdogUsec: 4_000_000 }, { transport, now: () => now });
  assert.equal(n.watchdogIntervalMs, 1000);
  n.watchdog();
  now += 999;
  n.watchdog();
  now += 1;
  n.watchdog();
  now += 250;
  n.watchdog();
  now += 5000;
  n.watchdog();
  assert.deepEqual(transport.sent, [['WATCHDOG=1'], ['WATCHDOG=1'], ['WATCHDOG=1']]);

  const none = recorder();
  const without = createNotifier({ socket: '/n', watchdogUsec: null }, { transport: none });
  without.watchdog();
  assert.deepEqual(none.sent, []);
});

test('a failed send is reported with its fields and does not stop later ones', async () => {
  const errors: string[] = [];
  const transport = recorder((fields) => (fields[0] === 'READY=1' ? new Error('no systemd-notify') : null));
  const n = createNotifier({ socket: '/n', watchdogUsec: null }, { transport, onError: (err, fields) => errors.push(`${fields[0]}: ${err.message}`) });
  n.ready();
  n.stopping();
  await n.flush();
  assert.deepEqual(errors, ['READY=1: no systemd-notify']);
  assert.equal(transport.sent.length, 2);
});

test('flush waits for sends still under way', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let delivered = 0;
  const transport: NotifyTransport = { send: () => gate.then(() => void delivered++) };
  const n = createNotifier({ socket: '/n', watchdogUsec: null }, { transport });
  n.stopping();
  const flushed = n.flush().then(() => delivered);
  setImmediate(release);
  assert.equal(await flushed, 1);
});
