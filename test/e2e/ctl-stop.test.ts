// `tripod stop` on a cop started without ctl (no TRIPOD_* marks: the lock names it), the graceful
// path, and the SIGKILL path when the cop cannot act on SIGTERM (SIGSTOPped).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { TIERS, instanceGone, readStat, waitFor } from '@tripod/core';
import { startInstance, cleanupAll, type Instance } from '../helpers/instance.js';
import { tripod } from './ctl-run.js';

const started: Instance[] = [];
after(async () => {
  await cleanupAll(started); // SIGKILL reaches a stopped process too
});

test('stop: SIGTERM to the cop, every process gone and every lock free, the cop exits 0', async () => {
  const inst = await startInstance();
  started.push(inst);
  const exited = new Promise<number | null>((resolve) => inst.cop.once('exit', (code) => resolve(code)));
  const stop = await tripod(['stop', '--runtime-dir', inst.dir]);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stderr, new RegExp(`stopping: SIGTERM to cop PID ${inst.cop.pid}\\n.*stopped in`));
  assert.equal(await exited, 0, 'the cop stopped gracefully');
  assert.ok(instanceGone(inst.instance, inst.paths));
});

test('stop --timeout: a cop that cannot act on SIGTERM is SIGKILLed with everything else, and ctl says so', async () => {
  const inst = await startInstance();
  started.push(inst);
  const pids = TIERS.map((t) => inst.holder(t)!);
  inst.cop.kill('SIGSTOP');
  await waitFor('the cop stopped', () => readStat(inst.cop.pid!)?.state === 'T', 5000);
  const stop = await tripod(['stop', '--timeout', '2', '--runtime-dir', inst.dir]);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stderr, /still running after 2 s: .*cop PID \d+.*; sending SIGKILL/);
  assert.match(stop.stderr, /stopped \(killed: /);
  assert.ok(instanceGone(inst.instance, inst.paths));
  for (const pid of pids) {
    const stat = readStat(pid);
    assert.ok(stat === null || stat.state === 'Z', `PID ${pid} is gone`);
  }
});
