// Socket activation end to end: systemd-socket-activate binds and listens, execs the cop with
// LISTEN_FDS (so LISTEN_PID is the cop's), and the instance serves through the passed socket. The
// socket listens before the cop even runs, so early clients wait in the queue instead of being refused.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { findLockHolder, freePort, identify, instanceIdFor, isStillAlive, runtimePaths, scanInstance, waitFor } from '@tripod/core';
import { startLoad, type Load } from '@tripod/chaos';
import { httpGet, servingPid, type Reply } from '../helpers/http.js';
import { BIN, FAST, ROOT, tempDir } from '../helpers/instance.js';
import { SYSTEMD_ENV, environNames, hasCommand, killAllAndRemove, startNotifyListener } from './systemd-helpers.js';

const missing = hasCommand('systemd-socket-activate') ? false : 'systemd-socket-activate is not installed';
const notifyMissing = hasCommand('systemd-notify') && hasCommand('python3') ? false : 'systemd-notify or python3 is not installed';
const cleanups: (() => void)[] = [];
after(() => {
  for (const c of cleanups.reverse()) c();
});

interface Activated {
  readonly dir: string;
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  holder(tier: 'cop' | 'manager' | 'server'): number | null;
  output(): string;
}

/** Load through `port` (new and keep-alive connections), counting successes; resolves once it runs. */
async function startCountedLoad(port: number): Promise<Load & { ok(): number }> {
  let ok = 0;
  const load = startLoad({ port, newConnectionWorkers: 3, keepAliveWorkers: 2, durationMs: 30_000, timeoutMs: 10_000 }, (r) => {
    if (r.outcome === 'ok') ok++;
  });
  await waitFor('load running', () => ok >= 20, 5000);
  return Object.assign(load, { ok: () => ok });
}

/** SIGKILLs `manager` and waits for a new manager, and a new server (not `oldServer`) holding server.lock and answering. */
async function killManagerAndAwaitReplacement(port: number, holder: (tier: 'manager' | 'server') => number | null, manager: number, oldServer: number): Promise<void> {
  process.kill(manager, 'SIGKILL');
  await waitFor('a new manager', () => {
    const pid = holder('manager');
    return pid !== null && pid !== manager;
  }, 10_000);
  await waitFor('a new server answering', async () => {
    const pid = await servingPid(port);
    return pid !== null && pid !== oldServer && pid === holder('server');
  }, 10_000);
}

/** 100 more successful requests, then the load stops: nothing was refused, nothing failed but by a reset. */
async function finishCleanly(load: Load & { ok(): number }): Promise<void> {
  const target = load.ok() + 100;
  await waitFor('100 more successful requests', () => load.ok() >= target, 10_000);
  load.stop();
  const summary = await load.done;
  assert.equal(summary.counts.refused, 0, JSON.stringify(summary.counts));
  assert.equal(summary.counts.timeout + summary.counts['http-5xx'] + summary.counts.error, 0, JSON.stringify(summary.counts));
}

/** systemd-socket-activate listening on `port`, which execs the cop on the first connection. */
function activate(port: number, listen: string, env: readonly string[] = []): Activated {
  const dir = tempDir('tripod-socket-');
  const paths = runtimePaths(dir);
  const proc = spawn('systemd-socket-activate', ['-l', `127.0.0.1:${port}`, '--fdname=http', '-E', `PATH=${process.env.PATH ?? '/usr/bin:/bin'}`,
    ...env.flatMap((e) => ['-E', e]), process.execPath, BIN.cop, '--runtime-dir', dir, '--listen', listen, ...FAST], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  cleanups.push(() => killAllAndRemove(dir, proc.exitCode === null && proc.signalCode === null ? [proc.pid] : []));
  return { dir, proc, exited, holder: (tier) => findLockHolder(paths.lockFile(tier)), output: () => out };
}

/** Resolves once something accepts TCP connections on the port (the kernel does, for a listening socket). */
function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function stopAndCheck(a: Activated): Promise<void> {
  a.proc.kill('SIGTERM');
  assert.equal(await a.exited, 0, a.output());
  for (const tier of ['cop', 'manager', 'server'] as const) assert.equal(a.holder(tier), null, `${tier}.lock free`);
  assert.deepEqual(scanInstance(instanceIdFor(a.dir)).map((p) => p.pid), [], 'no process of the instance is left');
}

test('the cop serves through the socket systemd passed; early clients are queued; SIGKILL of the manager refuses nothing', { skip: missing }, async () => {
  const port = await freePort();
  const a = activate(port, `127.0.0.1:${port}`);
  await waitFor('systemd-socket-activate listening', () => connects(port), 10_000);
  // That probe connection started the cop. These requests arrive while no server exists yet.
  assert.equal(a.holder('server'), null, 'no server yet');
  const early: Promise<Reply>[] = Array.from({ length: 5 }, () => httpGet(port, '/', '127.0.0.1', 20_000));
  const replies = await Promise.all(early);
  assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200, 200], a.output());

  const cop = a.holder('cop');
  assert.equal(cop, a.proc.pid, 'systemd-socket-activate exec()s the cop, so LISTEN_PID is the cop\'s PID');
  assert.match(a.output(), /sockets\.from-systemd/);
  assert.doesNotMatch(a.output(), /sockets\.bound/, 'the cop bound nothing itself');
  for (const tier of ['manager', 'server'] as const) {
    const leaked = environNames(a.holder(tier)!).filter((n) => SYSTEMD_ENV.includes(n));
    assert.deepEqual(leaked, [], `${tier} inherited ${leaked.join(', ')}`);
  }

  const load = await startCountedLoad(port);
  const oldManager = a.holder('manager')!;
  const oldServer = identify(a.holder('server')!)!;
  await killManagerAndAwaitReplacement(port, a.holder, oldManager, oldServer.pid);
  await waitFor('the old server gone', () => !isStillAlive(oldServer), 10_000);
  await finishCleanly(load);
  await stopAndCheck(a);
});

test('--listen that differs from the passed socket: the socket wins, and the cop probes through it', { skip: missing || notifyMissing }, async () => {
  const port = await freePort();
  const other = await freePort();
  const notifyDir = tempDir('tripod-socket-notify-');
  cleanups.push(() => rmSync(notifyDir, { recursive: true, force: true }));
  const notify = await startNotifyListener(notifyDir);
  cleanups.push(() => notify.stop());
  const a = activate(port, `127.0.0.1:${other}`, [`NOTIFY_SOCKET=${notify.socket}`]);
  await waitFor('systemd-socket-activate listening', () => connects(port), 10_000);
  // READY=1 comes only from a successful heartbeat, and the heartbeat goes to the first listener.
  const ready = await notify.next('READY=1', 0, 20_000);
  assert.ok(ready.note.fields.includes(`STATUS=serving (server PID ${String(a.holder('server'))})`), JSON.stringify(ready.note.fields));
  assert.equal(await servingPid(port), a.holder('server'));
  assert.match(a.output(), new RegExp(`systemd\\.listener-not-passed listen=127\\.0\\.0\\.1:${other}`));
  assert.equal(await connects(other), false, 'nothing was bound on the configured address');
  await stopAndCheck(a);
});

test('a cop restart under socket activation: the socket never closes, the new cop adopts, and the next manager gets the passed socket', { skip: hasCommand('python3') ? false : 'python3 is not installed' }, async () => {
  // scripts/systemd/socket-unit.py plays tripod.socket + Restart=on-failure: it keeps the listening
  // socket and starts the cop again, with the same fd, when it dies.
  const port = await freePort();
  const dir = tempDir('tripod-socket-unit-');
  const paths = runtimePaths(dir);
  const unit = spawn('python3', [join(ROOT, 'scripts/systemd/socket-unit.py'), `127.0.0.1:${port}`, 'http', '--', process.execPath, BIN.cop, '--runtime-dir', dir, '--listen', `127.0.0.1:${port}`, ...FAST], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  unit.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const started: number[] = [];
  createInterface({ input: unit.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as { started?: number };
    if (event.started) started.push(event.started);
  });
  const exited = new Promise<number | null>((resolve) => unit.once('exit', (code) => resolve(code)));
  cleanups.push(() => killAllAndRemove(dir, unit.exitCode === null && unit.signalCode === null ? [unit.pid, ...started] : []));
  const holder = (tier: 'cop' | 'manager' | 'server') => findLockHolder(paths.lockFile(tier));
  await waitFor('a server answering', () => servingPid(port), 20_000, 50);
  const firstCop = started[0]!;
  assert.equal(holder('cop'), firstCop);

  const load = await startCountedLoad(port);

  const manager = holder('manager')!;
  const server = holder('server')!;
  process.kill(firstCop, 'SIGKILL');
  const secondCop = await waitFor('the cop started again holding cop.lock', () => {
    const pid = holder('cop');
    return pid !== null && pid !== firstCop ? pid : null;
  }, 10_000);
  assert.equal(secondCop, started.at(-1));
  await waitFor('requests served across the cop restart', () => load.ok() >= 100, 10_000);
  assert.equal(holder('manager'), manager, 'the manager was adopted, not replaced');
  assert.equal(holder('server'), server, 'the server was left alone');

  // The adopting cop never bound anything: a manager it starts must get systemd's socket.
  await killManagerAndAwaitReplacement(port, holder, manager, server);
  await finishCleanly(load);

  unit.kill('SIGTERM');
  assert.equal(await exited, 0, out);
  for (const tier of ['cop', 'manager', 'server'] as const) assert.equal(holder(tier), null, `${tier}.lock free`);
  assert.deepEqual(scanInstance(instanceIdFor(dir)).map((p) => p.pid), [], 'no process of the instance is left');
});
