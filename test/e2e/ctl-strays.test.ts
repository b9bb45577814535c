// `tripod strays`: a planted process carrying this instance's environment is listed and, with --kill,
// killed; a decoy carrying another instance's id, and the instance's own tiers, survive.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, test } from 'node:test';
import { identify, isStillAlive, waitFor, type ProcessIdentity } from '@tripod/core';
import { servingPid } from '../helpers/http.js';
import { cleanEnv, startInstance, type Instance, cleanupAll } from '../helpers/instance.js';
import { STEADY, killIfAlive, tripod, waitRunning } from './ctl-run.js';

const started: Instance[] = [];
const planted: ChildProcess[] = [];
after(async () => {
  for (const child of planted) killIfAlive(child.pid);
  await cleanupAll(started);
});

async function plant(instance: string): Promise<ProcessIdentity> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { env: cleanEnv({ TRIPOD_INSTANCE: instance, TRIPOD_TIER: 'server' }), stdio: 'ignore' });
  planted.push(child);
  return waitFor('the planted process running', () => identify(child.pid!), 5000);
}

test('strays lists the planted stray only; --kill kills it, the decoy and the tiers survive', async () => {
  const inst = await startInstance({ args: STEADY });
  started.push(inst);
  await waitRunning(inst.dir);
  const stray = await plant(inst.instance);
  const decoy = await plant('another-instance-0000');
  const tiers = [inst.holder('cop')!, inst.holder('manager')!, inst.holder('server')!];

  const listed = await tripod(['strays', '--json', '--runtime-dir', inst.dir]);
  assert.equal(listed.code, 0, listed.stderr);
  const report = JSON.parse(listed.stdout) as { strays: { pid: number; tier: string }[] };
  assert.deepEqual(report.strays.map((p) => [p.pid, p.tier]), [[stray.pid, 'server']]);
  const text = await tripod(['strays', '--runtime-dir', inst.dir]);
  assert.match(text.stdout, new RegExp(`^${stray.pid}\\s+server\\s`, 'm'));

  const killed = await tripod(['strays', '--kill', '--runtime-dir', inst.dir]);
  assert.equal(killed.code, 0, killed.stderr);
  assert.match(killed.stdout, new RegExp(`^${stray.pid}\\s+server.*exited$`, 'm'));
  await waitFor('the stray gone', () => !isStillAlive(stray), 5000);
  assert.ok(isStillAlive(decoy), 'the decoy of another instance survives');
  for (const pid of tiers) assert.ok(identify(pid) !== null, `tier PID ${pid} survives`);
  assert.equal(await servingPid(inst.port), inst.holder('server'), 'the instance still serves');
  assert.equal((await tripod(['strays', '--runtime-dir', inst.dir])).stdout.trim(), 'no strays');
});
