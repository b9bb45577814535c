// Signals as the README documents them: SIGHUP reopens every tier's log after logrotate renamed it,
// SIGINT stops the whole instance gracefully like SIGTERM.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { after, test } from 'node:test';
import { TIERS, scanInstance, waitFor } from '@tripod/core';
import { startInstance, type Instance, cleanupAll } from '../helpers/instance.js';

const started: Instance[] = [];
after(async () => {
  await cleanupAll(started);
});

const lines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);

test('logrotate: rename every log, SIGHUP the cop, and each tier writes to a new file', async () => {
  const inst = await startInstance();
  started.push(inst);
  await waitFor('every tier logging', () => TIERS.every((t) => lines(inst.paths.logFile(t)).length > 0), 10_000);
  for (const tier of TIERS) renameSync(inst.paths.logFile(tier), `${inst.paths.logFile(tier)}.1`);
  inst.cop.kill('SIGHUP');
  await waitFor('the cop and the manager log the reload in new files', () =>
    lines(inst.paths.logFile('cop')).some((l) => l.includes('config.reload')) && lines(inst.paths.logFile('manager')).some((l) => l.includes('manager.reload')), 10_000);
  // A graceful restart makes the serving server log its drain: into the new server.log.
  inst.cop.kill('SIGUSR1');
  await waitFor('a server logging into the new server.log', () => lines(inst.paths.logFile('server')).some((l) => l.includes('server.drain')), 10_000);
  for (const tier of TIERS) {
    const old = lines(`${inst.paths.logFile(tier)}.1`);
    assert.ok(old.length > 0, `${tier}.log.1 kept what was written before the rotation`);
    assert.ok(!old.some((l) => l.includes('config.reload') || l.includes('server.drain')), `nothing after the SIGHUP went to ${tier}.log.1`);
  }
});

test('SIGINT to the cop stops everything gracefully: exit 0, every lock free, nothing left', async () => {
  const inst = await startInstance();
  started.push(inst);
  const exited = new Promise<number | null>((resolve) => inst.cop.once('exit', (code) => resolve(code)));
  inst.cop.kill('SIGINT');
  assert.equal(await exited, 0);
  for (const tier of TIERS) assert.equal(inst.holder(tier), null, `${tier}.lock free`);
  assert.deepEqual(scanInstance(inst.instance).filter((p) => p.state !== 'Z'), []);
});
