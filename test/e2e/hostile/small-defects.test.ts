// Smaller defects found when tried as a new user would: an orphaned standby leaves quietly; a config
// file with a misspelt key is refused naming the nearest key; `tripod reload` after `start --daemon
// --config FILE` applies what only the file says.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { freePort, identify, readJsonFile, waitFor } from '@tripod/core';
import { startInstance, tempDir, type Instance, cleanupAll } from '../../helpers/instance.js';
import { httpGet } from '../../helpers/http.js';
import { tripod } from '../ctl-run.js';

const started: Instance[] = [];
const daemons: string[] = [];
after(async () => {
  for (const dir of daemons) await tripod(['stop', '--runtime-dir', dir]);
  await cleanupAll(started);
});

interface StatusDoc {
  servers: { pid: number; role: string; standbyReady?: boolean }[];
}

test('a standby orphaned by its manager\'s death leaves quietly: no ERR_IPC_DISCONNECTED, no stack trace', async () => {
  const inst = await startInstance();
  started.push(inst);
  const standby = await waitFor('a ready standby', () => readJsonFile<StatusDoc>(inst.paths.statusFile)?.servers.find((s) => s.role === 'standby' && s.standbyReady)?.pid);
  const manager = inst.holder('manager')!;
  process.kill(manager, 'SIGKILL');
  await waitFor('the orphaned standby gone', () => identify(standby) === null);
  const out = inst.output();
  assert.doesNotMatch(out, /ERR_IPC_DISCONNECTED/);
  assert.doesNotMatch(out, new RegExp(`server\\[${standby}\\] error`));
  assert.match(out, new RegExp(`server\\[${standby}\\] info server\\.standby-exit`));
});

test('a config file with a misspelt key is refused naming the nearest key, exit 2; so is an unknown TRIPOD_* variable', async () => {
  const dir = tempDir();
  const file = join(dir, 'tripod.json');
  writeFileSync(file, JSON.stringify({ listn: ['127.0.0.1:1'] }));
  const r = await tripod(['start', '--config', file]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /ERR_CONFIG_INVALID: invalid listn: \["127\.0\.0\.1:1"\] \(unknown key; did you mean listen\?\)/);
  const e = await tripod(['status', '--runtime-dir', dir], { env: { TRIPOD_DRAIN_TIMEOUT: '5' } });
  assert.equal(e.code, 2, e.stderr);
  assert.match(e.stderr, /invalid TRIPOD_DRAIN_TIMEOUT: "5" \(unknown key; did you mean TRIPOD_DRAIN_TIMEOUT_MS\?\)/);
});

test('reload after start --daemon --config FILE applies the edited file (values only in the file are not frozen into flags)', async () => {
  const dir = tempDir();
  const file = join(dir, 'tripod.json');
  const port = await freePort();
  const config = (staticDir: string) => JSON.stringify({ runtimeDir: 'rt', listen: [`127.0.0.1:${port}`], staticDir, drainTimeoutMs: 2000 });
  writeFileSync(file, config('site-a'));
  mkdirSync(join(dir, 'rt'), { mode: 0o700 });
  for (const site of ['site-a', 'site-b']) {
    mkdirSync(join(dir, site));
    writeFileSync(join(dir, site, 'which.txt'), `${site}\n`);
  }
  const start = await tripod(['start', '--daemon', '--config', file], { cwd: dir });
  assert.equal(start.code, 0, start.stderr);
  daemons.push(join(dir, 'rt'));
  assert.equal((await httpGet(port, '/which.txt')).body, 'site-a\n');
  writeFileSync(file, config('site-b'));
  const reload = await tripod(['reload', '--json', '--config', file]);
  assert.equal(reload.code, 0, reload.stderr);
  assert.match(reload.stdout, /staticDir \(at the next server start/);
  const restart = await tripod(['restart', '--config', file]);
  assert.equal(restart.code, 0, restart.stderr);
  await waitFor('the new static directory served', async () => (await httpGet(port, '/which.txt')).body === 'site-b\n');
});
