// Invariant 1 (one holder per tier, its PID in the file) and 3 (after stop nothing remains, every lock free).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { EXIT, TIERS, isInstanceTier, scanInstance } from '@tripod/core';
import { BIN, cleanEnv, startInstance, type Instance, cleanupAll } from '../helpers/instance.js';

const started: Instance[] = [];
after(async () => {
  await cleanupAll(started);
});

test('each lock file holds its live holder PID; a second cop refuses; stop leaves nothing', async () => {
  const inst = await startInstance();
  started.push(inst);
  for (const tier of TIERS) {
    const holder = inst.holder(tier);
    assert.ok(holder !== null, `${tier}.lock is held`);
    assert.equal(readFileSync(inst.paths.lockFile(tier), 'utf8'), `${holder}\n`, `${tier}.lock names its holder`);
    if (tier !== 'cop') assert.ok(isInstanceTier(holder, inst.instance, tier), `${tier} holder carries the instance environment`);
  }
  assert.equal(inst.holder('cop'), inst.cop.pid);

  const second = spawnSync(process.execPath, [BIN.cop, '--runtime-dir', inst.dir, '--listen', `127.0.0.1:${inst.port}`], { env: cleanEnv(), encoding: 'utf8', timeout: 15_000 });
  assert.equal(second.status, EXIT.LOCK_HELD, second.stderr);
  assert.match(second.stderr, new RegExp(`ERR_LOCK_HELD: another cop already runs for .*: PID ${inst.cop.pid} \\(.*cop.*\\) holds .*cop\\.lock`));

  assert.equal(await inst.stop(), 0);
  assert.deepEqual(scanInstance(inst.instance), [], 'no process of the instance remains');
  for (const tier of TIERS) {
    assert.equal(inst.holder(tier), null, `${tier}.lock is free`);
    assert.equal(readFileSync(inst.paths.lockFile(tier), 'utf8'), '', `${tier}.lock is emptied by a clean stop`);
  }
});
