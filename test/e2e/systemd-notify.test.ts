// sd_notify end to end: the cop runs with NOTIFY_SOCKET pointing at a socket the test binds (python3
// stands in for systemd) and tells it READY=1 once a server answers, WATCHDOG=1 at a bounded rate,
// RELOADING=1 … READY=1 around SIGHUP and STOPPING=1 on SIGTERM; the tiers below never see the variables.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { findLockHolder, freePort, instanceIdFor, runtimePaths, scanInstance, waitFor } from '@tripod/core';
import { servingPid } from '../helpers/http.js';
import { BIN, FAST, cleanEnv, tempDir } from '../helpers/instance.js';
import { SYSTEMD_ENV, environNames, fastWith, hasCommand, hasField, killAllAndRemove, startNotifyListener, type NotifyListener } from './systemd-helpers.js';

const missing = !hasCommand('systemd-notify') ? 'systemd-notify is not installed' : !hasCommand('python3') ? 'python3 is not installed' : false;
const cleanups: (() => void)[] = [];
after(() => {
  for (const c of cleanups.reverse()) c();
});

/** An application whose setup() waits for `<dir>/gate`, so the test decides when the first server is ready. */
function writeGatedApp(dir: string): string {
  const path = join(dir, 'gated-app.mjs');
  writeFileSync(path, `import { existsSync } from 'node:fs';
export async function setup() {
  while (!existsSync(${JSON.stringify(join(dir, 'gate'))})) await new Promise((r) => setTimeout(r, 20));
  return (_req, res) => res.end('gated ' + process.pid + '\\n');
}
`);
  return path;
}

const servingStatus = /^STATUS=serving \(server PID (\d+)\)$/;
function servedPid(fields: readonly string[]): number {
  const match = fields.map((f) => servingStatus.exec(f)).find(Boolean);
  assert.ok(match, `a serving STATUS in ${JSON.stringify(fields)}`);
  return Number(match[1]);
}

test('READY=1 after the first server answers, WATCHDOG=1 rate-limited, RELOADING=1 on SIGHUP, STOPPING=1 on SIGTERM', { skip: missing }, async () => {
  const dir = tempDir('tripod-notify-');
  const port = await freePort();
  const paths = runtimePaths(dir);
  const instance = instanceIdFor(dir);
  const notify: NotifyListener = await startNotifyListener(dir);
  const app = writeGatedApp(dir);
  // WatchdogSec=2s: pings at most every 500 ms while check cycles run every 250 ms. The long grace
  // keeps the cop from judging the gated server wedged while the test holds it back.
  const flags = fastWith({ '--start-grace-ms': '15000', '--launch-timeout-ms': '20000' }, FAST);
  const cop = spawn(process.execPath, [BIN.cop, '--runtime-dir', dir, '--listen', `127.0.0.1:${port}`, '--app', app, ...flags], {
    cwd: dir,
    env: cleanEnv({ NOTIFY_SOCKET: notify.socket, WATCHDOG_USEC: '2000000' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  cop.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  cop.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => cop.once('exit', (code) => resolve(code)));
  cleanups.push(() => {
    notify.stop();
    killAllAndRemove(dir, cop.exitCode === null && cop.signalCode === null ? [cop.pid] : []);
  });
  const context = () => `\n--- notifications ---\n${notify.notes.map((n) => n.fields.join(' ')).join('\n')}\n--- cop output ---\n${out}`;

  // Check cycles run (the watchdog is fed) while the first server is held back: no READY=1 yet.
  await waitFor('a server process held back by its app', () => scanInstance(instance).some((p) => p.tier === 'server'), 15_000);
  const early = await notify.next('WATCHDOG=1');
  await notify.next('WATCHDOG=1', early.index + 1);
  assert.ok(!notify.notes.some((n) => hasField(n, 'READY=1')), `READY=1 before any server answered${context()}`);

  writeFileSync(join(dir, 'gate'), '');
  const ready = await notify.next('READY=1');
  const readyPid = servedPid(ready.note.fields);
  assert.equal(await servingPid(port), readyPid, 'the server READY=1 names answers through the port');
  await waitFor('the ready server holding its lock', () => findLockHolder(paths.lockFile('server')) === readyPid, 5000);

  // Nothing systemd handed the cop reaches the manager or the server (NotifyAccess=all would believe them).
  for (const tier of ['manager', 'server'] as const) {
    const pid = findLockHolder(paths.lockFile(tier))!;
    const leaked = environNames(pid).filter((name) => SYSTEMD_ENV.includes(name));
    assert.deepEqual(leaked, [], `${tier} ${pid} inherited ${leaked.join(', ')}`);
  }

  // WATCHDOG=1 keeps coming, but no faster than WATCHDOG_USEC/4 = 500 ms, though cycles run every 250 ms.
  const mark = notify.notes.length;
  const pings = () => notify.notes.slice(mark).filter((n) => hasField(n, 'WATCHDOG=1')).map((n) => n.at);
  await waitFor('six watchdog pings after READY=1', () => pings().length >= 6, 15_000);
  const at = pings();
  const gaps = at.slice(1).map((t, i) => t - at[i]!).sort((x, y) => x - y);
  const median = gaps[Math.floor(gaps.length / 2)]!;
  assert.ok(median >= 400 && median < 2000, `median gap ${median} ms between pings (${gaps.join(', ')}): want about 500${context()}`);

  // SIGHUP: RELOADING=1 (with MONOTONIC_USEC) and, once the reload is done, READY=1 again.
  const beforeReload = notify.notes.length;
  cop.kill('SIGHUP');
  const reloading = await notify.next('RELOADING=1', beforeReload);
  assert.ok(hasField(reloading.note, /^MONOTONIC_USEC=\d+$/), JSON.stringify(reloading.note.fields));
  const reReady = await notify.next('READY=1', reloading.index + 1);
  assert.equal(servedPid(reReady.note.fields), readyPid, 'the reload did not replace the server');

  // SIGTERM: STOPPING=1, then a graceful stop of the whole instance.
  cop.kill('SIGTERM');
  assert.equal(await exited, 0, context());
  const stopping = await notify.next('STOPPING=1', reReady.index + 1, 5000);
  assert.ok(!notify.notes.slice(stopping.index).some((n) => hasField(n, 'READY=1')), `READY=1 after STOPPING=1${context()}`);
  for (const tier of ['cop', 'manager', 'server'] as const) assert.equal(findLockHolder(paths.lockFile(tier)), null, `${tier}.lock free`);
  assert.deepEqual(scanInstance(instance).map((p) => p.pid), [], 'no process of the instance is left');

  if (process.getuid?.() === 0) {
    // As root, systemd-notify sends with its parent's credentials, so systemd sees the cop (the unit's main PID) as sender.
    const senders = new Set(notify.notes.map((n) => n.pid));
    assert.deepEqual([...senders], [cop.pid], `senders ${[...senders].join(', ')}`);
  }
});
