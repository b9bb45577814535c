// Invariant 4: safe-kill touches only this instance. A tier of another instance, a look-alike whose
// argv and title say tripod-server, and a process whose PID sits in a stale lock file all survive.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { isStillAlive, readStat, waitFor } from '@tripod/core';
import { spawnDecoy, spawnDecoys, type Decoy } from '../helpers/decoy.js';
import { servingPid } from '../helpers/http.js';
import { startInstance, tempDir, type Instance, cleanupAll, holderOf } from '../helpers/instance.js';

const started: Instance[] = [];
const decoys: Decoy[] = [];
after(async () => {
  for (const d of decoys) d.kill();
  await cleanupAll(started);
});

test('decoys and PIDs in stale lock files survive server kills, manager kills and stop', async () => {
  const dir = tempDir();
  mkdirSync(dir, { recursive: true });
  decoys.push(...(await spawnDecoys(dir)));
  const stale = await spawnDecoy({});
  decoys.push(stale);
  // Lock files from a crashed run that name a live unrelated process: nobody holds them.
  writeFileSync(`${dir}/manager.lock`, `${stale.who.pid}\n`);
  writeFileSync(`${dir}/server.lock`, `${stale.who.pid}\n`);

  const inst = await startInstance({ dir });
  started.push(inst);
  for (let round = 0; round < 2; round++) {
    const server = await holderOf(inst, 'server');
    process.kill(server.pid, 'SIGKILL');
    await waitFor('a new server holding server.lock', async () => {
      const pid = await servingPid(inst.port);
      return pid !== null && pid !== server.pid && inst.holder('server') === pid;
    }, 10_000);
    const manager = await holderOf(inst, 'manager');
    process.kill(manager.pid, 'SIGKILL');
    // The orphaned server serves on until the new manager's own server is ready: wait for that one.
    await waitFor('a new manager and a server of its own', async () => {
      const pid = inst.holder('manager');
      const serving = await servingPid(inst.port);
      return pid !== null && pid !== manager.pid && serving !== null && inst.holder('server') === serving && readStat(serving)?.ppid === pid;
    }, 10_000);
    assert.ok(!isStillAlive(manager));
  }
  assert.equal(await inst.stop(), 0);
  for (const d of decoys) assert.ok(d.survives(), `decoy ${d.who.pid} survived`);
});
