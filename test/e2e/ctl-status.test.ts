// `tripod status` exit codes in every state (LSB: 0 running, 1 dead with lock files, 3 not running,
// 4 unknown; 150 degraded), against a real instance.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { findLockHolder, instanceGone, scanInstance, waitFor } from '@tripod/core';
import { servingPid } from '../helpers/http.js';
import { startInstance, tempDir, type Instance, cleanupAll } from '../helpers/instance.js';
import { STEADY, killIfAlive, tripod, waitRunning } from './ctl-run.js';

const started: Instance[] = [];
const dirs: string[] = [];
after(async () => {
  await cleanupAll(started);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('running 0, degraded 150 (server stopped), running again, unsupervised 151 (cop killed), dead with lock files 1, stop idempotent', async () => {
  const inst = await startInstance({ args: STEADY });
  started.push(inst);
  const dir = ['--runtime-dir', inst.dir];
  await waitRunning(inst.dir);

  const running = await tripod(['status', ...dir]);
  assert.equal(running.code, 0, running.stdout + running.stderr);
  assert.match(running.stdout, /: running\n/);
  const json = await tripod(['status', '--json', ...dir]);
  assert.equal(json.code, 0);
  const report = JSON.parse(json.stdout) as { health: string; rows: { tier: string; pid: number; state: string }[]; listeners: { listener: string }[] };
  assert.equal(report.health, 'running');
  assert.deepEqual(report.rows.slice(0, 3).map((r) => r.tier), ['cop', 'manager', 'server']);
  // Beyond the serving server, only the warm standby may be listed.
  assert.deepEqual(report.rows.slice(3).map((r) => `${r.tier} ${r.state}`), report.rows.length > 3 ? ['server standby'] : []);
  assert.equal(report.rows[0]!.pid, inst.cop.pid);
  assert.equal(report.rows[2]!.pid, await servingPid(inst.port));
  assert.deepEqual(report.listeners.map((l) => l.listener), [`127.0.0.1:${inst.port}`]);

  const stop = await tripod(['server', 'stop', ...dir]);
  assert.equal(stop.code, 0, stop.stderr);
  await waitFor('server.lock free', () => inst.holder('server') === null, 10_000);
  const degraded = await tripod(['status', ...dir]);
  assert.equal(degraded.code, 150, degraded.stdout);
  assert.match(degraded.stdout, /: degraded\n {2}- server is stopped on request/);

  assert.equal((await tripod(['server', 'start', ...dir])).code, 0);
  await waitFor('a server again', () => servingPid(inst.port), 10_000);
  await waitRunning(inst.dir);

  // Kill the cop alone: the manager and the server go on serving, unwatched.
  killIfAlive(inst.cop.pid);
  await waitFor('cop.lock free', () => inst.holder('cop') === null, 10_000);
  const unsupervised = await tripod(['status', ...dir]);
  assert.equal(unsupervised.code, 151, unsupervised.stdout);
  assert.match(unsupervised.stdout, /: unsupervised\n {2}- no cop holds cop\.lock, but manager PID \d+, server PID \d+(, server PID \d+ \(holds no lock\))? still run/);

  // Kill every process of the instance: the lock files still name them.
  for (const p of scanInstance(inst.instance)) killIfAlive(p.pid);
  await waitFor('every lock free', () => ['cop', 'manager', 'server'].every((t) => findLockHolder(inst.paths.lockFile(t as 'cop')) === null), 10_000);
  const dead = await tripod(['status', ...dir]);
  assert.equal(dead.code, 1, dead.stdout);
  assert.match(dead.stdout, /cop\.lock names PID \d+, but no process holds it/);

  const again = await tripod(['stop', ...dir]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /not running/);
  assert.ok(instanceGone(inst.instance, inst.paths));
});

test('not running 3 (empty or missing runtime dir), unknown 4 (runtime dir is not a directory)', async () => {
  const empty = tempDir();
  dirs.push(empty);
  const clean = await tripod(['status', '--runtime-dir', empty]);
  assert.equal(clean.code, 3, clean.stdout);
  assert.match(clean.stdout, /: not-running/);
  assert.equal((await tripod(['status', '--runtime-dir', join(empty, 'missing')])).code, 3);
  const file = join(empty, 'a-file');
  writeFileSync(file, '');
  const unknown = await tripod(['status', '--runtime-dir', file]);
  assert.equal(unknown.code, 4, unknown.stdout);
  assert.match(unknown.stdout, /not a directory/);
});
