// Locks under interference: lock files deleted or replaced while held are taken again by their
// holders, no tier restarts, no request fails, and there is never a second cop or manager; a lock held
// by a stranger is named (PID and command) and nothing restarts in a loop against it.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EXIT, findLockHolder, freePort, readJsonFile, scanInstance, TIERS, waitFor } from '@tripod/core';
import { httpGet } from '../../helpers/http.js';
import { BIN, FAST, cleanEnv, startInstance, tempDir, type Instance, cleanupAll } from '../../helpers/instance.js';
import { tripod } from '../ctl-run.js';

const started: Instance[] = [];
const strangers: ChildProcess[] = [];
after(async () => {
  for (const s of strangers) s.kill('SIGKILL');
  await cleanupAll(started);
});

/** Requests in a loop until stopped; counts the failures. */
function load(port: number): { stop(): Promise<{ ok: number; failed: string[] }> } {
  let running = true;
  const failed: string[] = [];
  let ok = 0;
  const loop = (async () => {
    while (running) {
      try {
        const r = await httpGet(port, '/', '127.0.0.1', 5000);
        if (r.status === 200) ok++;
        else failed.push(`status ${r.status}`);
      } catch (err) {
        failed.push((err as NodeJS.ErrnoException).code ?? String(err));
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { ok, failed };
    },
  };
}

test('lock files deleted, then replaced, while held: each holder takes its lock again; no tier restarts, no request fails, never two cops', async () => {
  const inst = await startInstance();
  started.push(inst);
  const pids = Object.fromEntries(TIERS.map((t) => [t, inst.holder(t)]));
  const traffic = load(inst.port);

  for (const tier of TIERS) rmSync(inst.paths.lockFile(tier));
  // In the gap, /proc still names every holder (through its fd on the deleted file).
  for (const tier of TIERS) assert.equal(findLockHolder(inst.paths.lockFile(tier)), pids[tier], `${tier} holder seen in the gap`);
  // A second cop started in the gap must not get in.
  const second = spawnSync(process.execPath, [BIN.cop, '--runtime-dir', inst.dir, '--listen', `127.0.0.1:${await freePort()}`], { env: cleanEnv(), encoding: 'utf8', timeout: 20_000 });
  assert.equal(second.status, EXIT.LOCK_HELD, second.stderr);
  assert.match(second.stderr, new RegExp(`ERR_LOCK_HELD: another cop already runs for .*: PID ${pids.cop} \\(`));
  const seen = () => JSON.stringify(Object.fromEntries(TIERS.map((t) => {
    try {
      return [t, { content: readFileSync(inst.paths.lockFile(t), 'utf8'), holder: findLockHolder(inst.paths.lockFile(t)), was: pids[t] }];
    } catch (err) {
      return [t, String((err as NodeJS.ErrnoException).code)];
    }
  })));
  await waitFor('every lock file back, naming its old holder', () =>
    TIERS.every((t) => { try { return readFileSync(inst.paths.lockFile(t), 'utf8') === `${pids[t]}\n` && findLockHolder(inst.paths.lockFile(t)) === pids[t]; } catch { return false; } })).catch((err: Error) => {
    throw new Error(`${err.message}: ${seen()}\n${inst.output().slice(-4000)}`);
  });

  // Replaced: a new file renamed over each lock file.
  for (const tier of TIERS) {
    writeFileSync(join(inst.dir, 'planted'), '12345\n', { mode: 0o600 });
    renameSync(join(inst.dir, 'planted'), inst.paths.lockFile(tier));
  }
  await waitFor('every replaced lock file taken again by its holder', () =>
    TIERS.every((t) => readFileSync(inst.paths.lockFile(t), 'utf8') === `${pids[t]}\n` && findLockHolder(inst.paths.lockFile(t)) === pids[t]));

  const result = await traffic.stop();
  assert.deepEqual(result.failed, [], 'no request failed');
  assert.ok(result.ok > 0);
  for (const tier of TIERS) assert.equal(inst.holder(tier), pids[tier], `${tier} was never restarted`);
  const tiers = scanInstance(inst.instance).filter((p) => p.state !== 'Z').map((p) => p.tier);
  assert.equal(tiers.filter((t) => t === 'manager').length, 1, 'one manager');
  const copStatus = readJsonFile<{ managerStarts: number; kills: Record<string, unknown> }>(inst.paths.copStatusFile);
  assert.equal(copStatus?.managerStarts, 1);
  assert.deepEqual(copStatus?.kills, {});
  assert.match(inst.output(), /lock\.retaken/);
});

test('a lock held by a stranger is named with its PID and command in status and doctor; nothing restarts in a loop against it', async () => {
  const dir = tempDir();
  const fsExt = createRequire(import.meta.url).resolve('fs-ext');
  const script = join(dir, 'stranger-marker.cjs');
  writeFileSync(script, `
    const fs = require('fs'), fsExt = require(process.argv[2]);
    const fd = fs.openSync(process.argv[3], fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
    fsExt.fcntl(fd, 'setlk', fsExt.constants.F_WRLCK, (err) => { if (err) process.exit(1); console.log('locked'); setInterval(() => {}, 1e6); });
  `);
  const stranger = spawn(process.execPath, [script, fsExt, join(dir, 'manager.lock')], { stdio: ['ignore', 'pipe', 'inherit'] });
  strangers.push(stranger);
  await new Promise((resolve) => stranger.stdout!.once('data', resolve));
  const inst = await startInstance({ dir, waitReady: false, args: [...FAST] });
  started.push(inst);
  await waitFor('the cop names the stranger', () => /manager\.lock-foreign/.test(inst.output()), 10_000);
  // Several check cycles later: said once, no manager ever spawned.
  await waitFor('cop-status naming the stranger', () => readJsonFile<{ foreignLock: { holder: string } | null }>(inst.paths.copStatusFile)?.foreignLock?.holder.includes('stranger-marker'));
  const status = await tripod(['status', '--runtime-dir', dir]);
  assert.match(status.stdout + status.stderr, new RegExp(`manager\\.lock is held by PID ${stranger.pid} \\(.*stranger-marker.*\\), which is not a manager of this instance`));
  const doctor = await tripod(['doctor', '--runtime-dir', dir]);
  assert.match(doctor.stdout, new RegExp(`FAIL {2}manager\\.lock: held by PID ${stranger.pid} \\(.*stranger-marker`));
  assert.equal(inst.output().match(/manager\.lock-foreign/g)?.length, 1, 'said once');
  assert.doesNotMatch(inst.output(), /manager\.spawn/);
  assert.equal(readJsonFile<{ managerStarts: number }>(inst.paths.copStatusFile)?.managerStarts, 0);
});
