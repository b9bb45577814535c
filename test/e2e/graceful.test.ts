// Invariant 2 for planned restarts: a graceful restart (SIGUSR1 to the cop, SIGUSR1 to the manager,
// or the control command) fails no request at all, keep-alive and new-connection clients alike.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { controlRequest, waitFor } from '@tripod/core';
import { statusFile } from '../helpers/status.js';
import { startLoad } from '@tripod/chaos';
import { servingPid } from '../helpers/http.js';
import { FIXTURES, startInstance, type Instance, cleanupAll } from '../helpers/instance.js';

const started: Instance[] = [];
after(async () => {
  await cleanupAll(started);
});

async function handover(inst: Instance, trigger: () => Promise<unknown> | void): Promise<number> {
  const old = inst.holder('server')!;
  await trigger();
  return waitFor('the new server holding server.lock', () => {
    const pid = inst.holder('server');
    return pid !== null && pid !== old ? pid : null;
  }, 10_000);
}

test('three graceful restarts under keep-alive and new-connection load fail nothing', async () => {
  const inst = await startInstance({ args: ['--app', join(FIXTURES, 'slow.mjs')], env: { FIXTURE_DELAY_MS: '40' } });
  started.push(inst);
  let ok = 0;
  const load = startLoad({ port: inst.port, newConnectionWorkers: 3, keepAliveWorkers: 4, durationMs: 40_000, timeoutMs: 10_000 }, (r) => {
    if (r.outcome === 'ok') ok++;
  });
  await waitFor('load running', () => ok >= 50, 10_000);
  const manager = inst.holder('manager')!;
  const pids = [inst.holder('server')!];
  pids.push(await handover(inst, () => void inst.cop.kill('SIGUSR1')));
  await waitFor('load through the new server', () => ok >= 150, 10_000).then(() => undefined);
  pids.push(await handover(inst, () => void process.kill(manager, 'SIGUSR1')));
  const before = ok;
  await waitFor('more load', () => ok >= before + 100, 10_000);
  pids.push(await handover(inst, () => controlRequest(inst.paths.controlSocket, { cmd: 'server-restart' }, 5000)));
  const last = ok;
  await waitFor('load through the last server', () => ok >= last + 100, 10_000);
  load.stop();
  const summary = await load.done;
  const failed = summary.total - summary.counts.ok;
  assert.equal(failed, 0, JSON.stringify(summary.counts));
  assert.equal(new Set(pids).size, 4, 'every restart started a new server');
  assert.equal(await servingPid(inst.port), pids[3]);
  const status = statusFile(inst)!;
  assert.equal(status.lastDrain?.outcome, 'success', 'the old server reported a successful drain');
  // Three replaced servers, plus the standby each restart replaced, exited because they were asked to.
  assert.ok((status.exitsByCause.requested ?? 0) >= 3, JSON.stringify(status.exitsByCause));
  assert.deepEqual(Object.keys(status.exitsByCause), ['requested'], 'no server crashed');
  assert.deepEqual(status.servers.filter((s) => s.role !== 'standby').map((s) => s.role), ['serving']);
});
